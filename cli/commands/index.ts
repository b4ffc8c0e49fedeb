import type { Command } from 'commander';
import { registerSetup } from './setup.ts';
import { registerStack } from './stack.ts';

/** Every command, one file each; each registers itself on the program. Add one line per command. */
export const COMMANDS: Array<(program: Command) => void> = [
  registerSetup,
  registerStack,
];
