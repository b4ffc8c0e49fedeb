/**
 * One chat instance of the platform's code in a child process of its own, so its memory is its
 * own (RSS per held socket means nothing when the load generator's clients share the process).
 * Shared by the NF-8 probe and `npm run bench:realtime`. The child is assess/chat-child-main.ts.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { PROJECT_ROOT } from '../core/index.ts';
import type { RealtimeOptions } from '../reference-system/index.ts';

export interface ChatChild {
  proc: ChildProcess;
  url: string;
  /** The child's resident set and heap after a full GC. */
  memory(): Promise<{ rss: number; heapUsed: number }>;
  /** Stops the instance; kills the child if it does not exit within 15 s. */
  stop(): Promise<void>;
}

/** Forks the child and waits (60 s at most) until its instance listens. */
export async function startChatChild(opts: RealtimeOptions): Promise<ChatChild> {
  const proc = fork(join(PROJECT_ROOT, 'bin/run-ts.js'), [join(PROJECT_ROOT, 'assess/chat-child-main.ts')], {
    execArgv: ['--expose-gc', '--max-old-space-size=4096'],
    env: { ...process.env, BRINK_CHAT_CHILD_OPTIONS: JSON.stringify(opts) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const next = (type: string, timeoutMs: number) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const onExit = (code: number | null) => (clearTimeout(t), reject(new Error(`chat child exited (code ${code}) before sending "${type}"`)));
      const t = setTimeout(() => (proc.off('message', on), proc.off('exit', onExit), reject(new Error(`chat child sent no "${type}" within ${timeoutMs} ms`))), timeoutMs);
      const on = (m: Record<string, unknown>) => {
        if (m.type !== type) return;
        clearTimeout(t);
        proc.off('message', on);
        proc.off('exit', onExit);
        resolve(m);
      };
      proc.on('message', on);
      proc.once('exit', onExit);
    });
  let ready: Record<string, unknown>;
  try {
    ready = await next('ready', 60_000);
  } catch (e) {
    if (proc.exitCode === null) proc.kill('SIGKILL');
    throw e;
  }
  return {
    proc,
    url: ready.url as string,
    memory: async () => {
      const p = next('memory', 30_000);
      proc.send({ type: 'memory' });
      const m = await p;
      return { rss: m.rss as number, heapUsed: m.heapUsed as number };
    },
    stop: async () => {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = new Promise((r) => proc.once('exit', r));
      proc.send({ type: 'stop' });
      await Promise.race([exited, sleep(15_000)]);
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
    },
  };
}
