/**
 * Finds a k6 binary the user installed: brink never builds or ships k6 (its module is AGPL and on
 * this project's not-to-use list), but runs its own k6 scripts with one when the user has it.
 * BRINK_K6 names it explicitly; otherwise the first `k6` on PATH is used.
 */
import { execFileSync } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { BrinkError } from '../core/index.ts';

export const K6_INSTALL_HINT = 'install k6 yourself (https://grafana.com/docs/k6/latest/set-up/install-k6/) and put it on PATH or name it with BRINK_K6, or use --engine node';

function isExecutable(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Where k6 is, or undefined: BRINK_K6 when set (even if it is wrong, so a typo is not hidden by PATH), else PATH. */
export function findK6(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const named = env.BRINK_K6;
  if (named !== undefined && named !== '') return isExecutable(named) ? named : undefined;
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, 'k6');
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/** The k6 binary, or a one-line error (exit 104) saying how to get one. */
export function k6Binary(env: NodeJS.ProcessEnv = process.env): string {
  const bin = findK6(env);
  if (bin) return bin;
  const where = env.BRINK_K6 ? `BRINK_K6="${env.BRINK_K6}" is not an executable file` : 'no k6 on PATH and BRINK_K6 is not set';
  throw new BrinkError('MISSING_DEPENDENCY', `--engine k6 needs a k6 binary: ${where}`, { suggestion: K6_INSTALL_HINT });
}

/** "k6 v1.x.y (...)" from `k6 version`, or undefined when it cannot be run. */
export function k6Version(bin: string): string | undefined {
  try {
    return execFileSync(bin, ['version'], { encoding: 'utf8', timeout: 10_000, stdio: ['ignore', 'pipe', 'ignore'] }).split('\n')[0]!.trim();
  } catch {
    return undefined;
  }
}
