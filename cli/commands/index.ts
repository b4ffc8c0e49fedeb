import type { Command } from 'commander';

/** Every command, one file each; each registers itself on the program. */
export const COMMANDS: Array<(program: Command) => void> = [];
