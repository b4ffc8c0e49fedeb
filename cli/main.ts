/**
 * The CLI assembles commands (one file each under ./commands) and main() alone decides the exit
 * code: commands throw, main maps the error to k6's codes (0 ok, 1 unexpected, 99 thresholds
 * failed, 104 invalid input, 105 aborted). Nothing imports the CLI.
 */
import { Command, CommanderError } from 'commander';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BrinkError, PROJECT_ROOT, exitCodeOf, isBrinkError } from '../core/index.ts';
import { COMMANDS } from './commands/index.ts';
import { onInterrupt } from './interrupt.ts';

const pkg = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string };

export function buildProgram(): Command {
  const program = new Command('brink')
    .description('Performance and resilience test harness: measures the claims of platform assessments on a real reference stack.')
    .version(pkg.version, '-V, --version')
    .showHelpAfterError()
    .exitOverride();
  for (const register of COMMANDS) register(program);
  return program;
}

async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version end through here with code 0; usage errors are invalid input.
      if (e.exitCode === 0) return 0;
      return 104;
    }
    if (isBrinkError(e)) {
      process.stderr.write(`brink: ${e.toLine()}\n`);
      if (process.env.BRINK_DEBUG && e.cause) process.stderr.write(`${String((e.cause as Error).stack ?? e.cause)}\n`);
    } else {
      process.stderr.write(`brink: unexpected error: ${(e as Error)?.stack ?? String(e)}\n`);
    }
    return exitCodeOf(e);
  }
}

onInterrupt(() => new BrinkError('ABORTED', 'interrupted'));
const code = await main(process.argv);
process.exit(code);
