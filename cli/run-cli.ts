/**
 * The CLI as a function: builds the program (one command per file under ./commands) and maps
 * whatever a command throws to k6's exit codes (0 ok, 1 unexpected, 99 thresholds failed, 104
 * invalid input, 105 aborted). main.ts runs it for `brink`; tests call runCli in-process (the
 * fuzzing of every flag would be far too slow one node process per case).
 *
 * Every error is ONE line on stderr, "brink: …", whatever the value typed (newlines and control
 * characters are escaped); a stack trace only with BRINK_DEBUG=1.
 */
import { Command, CommanderError } from 'commander';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PROJECT_ROOT, exitCodeOf, invalidInput, isBrinkError } from '../core/index.ts';
import { COMMANDS } from './commands/index.ts';

const pkg = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string };

/** Escapes what would break the one-line rule (a value typed with a newline, a terminal escape). */
export function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\r\n|\r|\n/g, '\\n').replace(/[\u0000-\u0008\u000b-\u001f\u007f\u009b]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).replace(/\t/g, ' ');
}

export function buildProgram(): Command {
  const program = new Command('brink')
    .description('Performance and resilience test harness: measures the claims of platform assessments on a real reference stack.')
    .version(pkg.version, '-V, --version')
    // Usage errors are one line, like every other error; the help is one --help away.
    .configureOutput({
      outputError: (str, write) => {
        const lines = str.trim().split('\n').map((l) => l.trim()).filter(Boolean);
        write(`brink: ${oneLine(lines.join(' ').replace(/^error: /, ''))} (see --help)\n`);
      },
    })
    .exitOverride();
  for (const register of COMMANDS) register(program);
  return program;
}

/** A Node system error about a path (ENOENT, ENOTDIR, EISDIR…), e.g. from --out pointing at a file. */
function pathError(e: unknown): { code: string; path: string; syscall?: string } | undefined {
  const x = e as { code?: unknown; path?: unknown; syscall?: unknown };
  if (typeof x?.code !== 'string' || typeof x.path !== 'string') return undefined;
  if (!['ENOENT', 'ENOTDIR', 'EISDIR', 'EEXIST', 'EACCES', 'EPERM', 'ENAMETOOLONG', 'ELOOP'].includes(x.code)) return undefined;
  return { code: x.code, path: x.path, ...(typeof x.syscall === 'string' ? { syscall: x.syscall } : {}) };
}

const PATH_PROBLEMS: Record<string, string> = {
  ENOENT: 'does not exist',
  ENOTDIR: 'a file is where a directory is expected',
  EISDIR: 'is a directory where a file is expected',
  EEXIST: 'already exists (and is not a directory)',
  EACCES: 'is not accessible (permission denied)',
  EPERM: 'is not permitted',
  ENAMETOOLONG: 'is too long a path',
  ELOOP: 'has too many symbolic links',
};

/** The flag (or argument) whose value is, or contains, the path an fs call refused. */
export function flagForPath(args: readonly string[], path: string): string | undefined {
  const full = resolve(path);
  const matches = (value: string) => {
    if (value === '') return false;
    const v = resolve(value);
    return v === full || full.startsWith(`${v}/`) || v.startsWith(`${full}/`);
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const eq = a.match(/^(--[^=]+)=(.*)$/s);
    if (eq && matches(eq[2]!)) return eq[1];
    if (a.startsWith('-') && i + 1 < args.length && !args[i + 1]!.startsWith('-') && matches(args[i + 1]!)) return a;
  }
  for (const a of args) if (!a.startsWith('-') && matches(a)) return 'argument';
  return undefined;
}

export interface CliIo {
  stdout?: (text: string) => void;
  stderr?: (text: string) => void;
}

/**
 * Runs `brink <args…>` in this process and returns the exit code. With io, what the commands
 * write to stdout and stderr goes there instead (for tests; not re-entrant).
 */
export async function runCli(args: readonly string[], io?: CliIo): Promise<number> {
  const restore = io ? redirect(io) : () => undefined;
  const previousExitCode = process.exitCode;
  process.exitCode = undefined;
  try {
    return await run([...args]);
  } finally {
    process.exitCode = previousExitCode;
    restore();
  }
}

async function run(args: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(args, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version end through here with code 0; usage errors are invalid input.
      return e.exitCode === 0 ? 0 : 104;
    }
    const p = pathError(e);
    const error = p && !isBrinkError(e)
      ? invalidInput(`${flagForPath(args, p.path) ?? 'path'} "${p.path}" ${PATH_PROBLEMS[p.code]} (${p.code}${p.syscall ? ` on ${p.syscall}` : ''})`)
      : e;
    if (isBrinkError(error)) {
      process.stderr.write(`brink: ${oneLine(error.toLine())}\n`);
    } else {
      process.stderr.write(`brink: unexpected error: ${oneLine(String((e as Error)?.message ?? e))} (BRINK_DEBUG=1 shows the stack trace)\n`);
    }
    const cause = isBrinkError(e) ? e.cause : e;
    if (process.env.BRINK_DEBUG && cause) process.stderr.write(`${String((cause as Error).stack ?? cause)}\n`);
    return exitCodeOf(error);
  }
}

function redirect(io: CliIo): () => void {
  const out = process.stdout.write;
  const err = process.stderr.write;
  const sink = (fn: ((t: string) => void) | undefined, original: typeof out) =>
    ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      if (!fn) return (original as (...a: unknown[]) => boolean).call(process.stdout, chunk, ...rest);
      fn(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      const cb = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
      cb?.();
      return true;
    }) as typeof out;
  process.stdout.write = sink(io.stdout, out);
  process.stderr.write = sink(io.stderr, err);
  return () => {
    process.stdout.write = out;
    process.stderr.write = err;
  };
}
