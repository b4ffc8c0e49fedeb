/** One service in its own process (`split`): serve.ts with --child, told what to run through the environment. */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Logger } from 'pino';
import { PROJECT_ROOT, type Switches } from '../../core/index.ts';
import type { PlatformOptions } from './options.ts';

/** What a split child needs, passed as JSON in an environment variable (never on the command line: it holds the JWT secret). */
export const CHILD_ENV = 'BRINK_PLATFORM_CHILD';

export interface StartedServiceChild {
  url: string;
  stop: () => Promise<void>;
}

export async function startServiceChild(id: string, opts: PlatformOptions & { jwtSecret: string; switches: Switches }, log: Logger): Promise<StartedServiceChild> {
  const payload = JSON.stringify({ ...opts, log: undefined, only: [id], split: false });
  const child: ChildProcess = spawn(process.execPath, [join(PROJECT_ROOT, 'bin', 'run-ts.js'), join(PROJECT_ROOT, 'reference-system', 'serve.ts'), '--child'], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, [CHILD_ENV]: payload },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await childReady(child, id);
  log.info({ service: id, url, pid: child.pid }, 'service child ready');
  return { url, stop: () => stopChild(child) };
}

/** The service's URL from the child's one `{"ready":true,...}` line; rejects if it exits or takes over 60 s. */
function childReady(child: ChildProcess, id: string): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`service ${id} did not report ready within 60 s`));
    }, 60_000);
    const rl = createInterface({ input: child.stdout! });
    rl.on('line', (line) => {
      if (!line.startsWith('{"ready":true')) return;
      clearTimeout(timer);
      resolve((JSON.parse(line) as { services: Record<string, string> }).services[id]!);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`service ${id} exited with code ${code} before it was ready`));
    });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise<void>((resolve) => {
    if (child.exitCode !== null) return resolve();
    const kill = setTimeout(() => child.kill('SIGKILL'), 8_000);
    child.once('exit', () => (clearTimeout(kill), resolve()));
    child.kill('SIGTERM');
  });
}
