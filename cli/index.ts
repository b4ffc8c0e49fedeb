/**
 * `brink`'s public entry: bin/brink.js calls main(). ./run-cli.ts builds the commands and alone
 * decides the exit code: commands throw, runCli maps the error to k6's codes (0 ok, 1 unexpected,
 * 99 thresholds failed, 104 invalid input, 105 aborted). Importing this file runs nothing.
 */
import { BrinkError } from '../core/index.ts';
import { onInterrupt } from './interrupt.ts';
import { runCli } from './run-cli.ts';

export { runCli, type CliIo } from './run-cli.ts';

/** Runs the CLI on these arguments and exits the process with its code. */
export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<never> {
  onInterrupt(() => new BrinkError('ABORTED', 'interrupted'));
  const code = await runCli(argv);
  process.exit(code);
}
