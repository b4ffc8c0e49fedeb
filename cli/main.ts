/**
 * `brink`: runs the CLI (./run-cli.ts builds the commands and alone decides the exit code: commands
 * throw, runCli maps the error to k6's codes: 0 ok, 1 unexpected, 99 thresholds failed, 104
 * invalid input, 105 aborted). Tests import ./run-cli.ts, never this file (it runs on import).
 */
import { BrinkError } from '../core/index.ts';
import { onInterrupt } from './interrupt.ts';
import { runCli } from './run-cli.ts';

onInterrupt(() => new BrinkError('ABORTED', 'interrupted'));
const code = await runCli(process.argv.slice(2));
process.exit(code);
