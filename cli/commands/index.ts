import type { Command } from 'commander';
import { registerSeed } from './seed.ts';
import { registerSetup } from './setup.ts';
import { registerStack } from './stack.ts';
import { reportCommand } from './report.ts';
import { registerRun } from './run.ts';
import { registerChaos } from './chaos.ts';
import { registerAssess } from './assess.ts';
import { registerAudit } from './audit.ts';
import { registerMerge } from './merge.ts';
import { registerK8s } from './k8s.ts';

/** Every command, one file each; each registers itself on the program. Add one line per command. */
export const COMMANDS: Array<(program: Command) => void> = [
  registerSetup,
  registerStack,
  reportCommand,
  registerRun,
  registerSeed,
  registerChaos,
  registerAssess,
  registerAudit,
  registerMerge,
  registerK8s,
];
