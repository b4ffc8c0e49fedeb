/**
 * Faults Toxiproxy cannot make, on the local stack's own processes (tests only):
 * - restartRabbitMq: the broker restarted in place (rabbitmqctl stop_app, then start_app): every
 *   connection is closed, the listeners go away and come back, durable queues and persistent
 *   messages survive, as in a rolling restart of a RabbitMQ node;
 * - freezeProcess: a process stopped (SIGSTOP) and started again (SIGCONT): it keeps its sockets
 *   but answers nothing meanwhile, like a node stalled by the OS or a long GC pause.
 * The node name, Erlang ports and cookie are the stack's own, read from the broker's environment.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { StackState } from '../../stack/index.ts';

const run = promisify(execFile);

function pidOf(stack: StackState, name: string): number {
  const p = stack.processes.find((x) => x.name === name);
  if (!p) throw new Error(`the stack has no ${name} process (local provider only): ${JSON.stringify(stack.processes)}`);
  return p.pid;
}

function environOf(pid: number): Record<string, string> {
  const env: Record<string, string> = {};
  for (const kv of readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0')) {
    const i = kv.indexOf('=');
    if (i > 0) env[kv.slice(0, i)] = kv.slice(i + 1);
  }
  return env;
}

async function rabbitmqctl(stack: StackState, ...args: string[]): Promise<string> {
  const env = environOf(pidOf(stack, 'rabbitmq'));
  const node = env.RABBITMQ_NODENAME;
  const cookie = readFileSync(join(env.HOME!, '.erlang.cookie'), 'utf8').trim();
  if (!node || !env.ERL_EPMD_PORT) throw new Error('the broker environment has no RABBITMQ_NODENAME / ERL_EPMD_PORT');
  // A HOME of its own: the CLI tool must not write a cookie into the broker's.
  const home = mkdtempSync(join(tmpdir(), 'brink-rabbitmqctl-'));
  try {
    const r = await run('rabbitmqctl', ['-n', node, '--erlang-cookie', cookie, '-q', ...args], {
      env: { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/bin', HOME: home, ERL_EPMD_PORT: env.ERL_EPMD_PORT, ERL_EPMD_ADDRESS: '127.0.0.1' },
      timeout: 60_000,
    });
    return r.stdout;
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

/** Stops the broker application, waits downMs, starts it again; resolves once it accepts AMQP again. */
export async function restartRabbitMq(stack: StackState, downMs: number): Promise<{ stoppedAtMs: number; startedAtMs: number }> {
  await rabbitmqctl(stack, 'stop_app');
  const stoppedAtMs = performance.now();
  await new Promise((r) => setTimeout(r, downMs));
  await rabbitmqctl(stack, 'start_app');
  return { stoppedAtMs, startedAtMs: performance.now() };
}

/** SIGSTOP a stack process for ms, then SIGCONT (always, even if the wait is interrupted). */
export async function freezeProcess(stack: StackState, name: string, ms: number): Promise<void> {
  const pid = pidOf(stack, name);
  process.kill(pid, 'SIGSTOP');
  try {
    await new Promise((r) => setTimeout(r, ms));
  } finally {
    process.kill(pid, 'SIGCONT');
  }
}
