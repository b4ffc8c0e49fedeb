/**
 * Runs the reference platform (reference-system/serve.ts) as a detached child of `brink stack up`,
 * and waits for the one JSON line it prints when every service listens.
 */
import { existsSync, readFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { BrinkError, PROJECT_ROOT, STACK_STATE_FILE } from '../core/index.ts';
import { spawnDetached, stopProcessGroup, tail } from './processes.ts';
import { waitFor } from './wait.ts';
import type { Switches, Variant } from '../core/index.ts';
import type { PlatformState, StackState } from './types.ts';

export interface PlatformProcessOptions {
  variant: Variant;
  switches: Switches;
  split?: boolean;
  chatInstances?: number;
  /** Gateway processes behind one port (cluster workers); 1 = the gateway runs in the platform process. */
  gatewayInstances?: number;
  /** Route gateway->service hops through Toxiproxy proxies svc-<service>. */
  toxiproxyHops?: boolean;
  /** Services reach Postgres, Redis and RabbitMQ through the stack's Toxiproxy proxies (faults on infra). */
  proxiedInfra?: boolean;
  stateFile?: string;
  /** Node flags for the platform process (e.g. --cpu-prof for a benchmark's profile); none by default. */
  execArgv?: readonly string[];
  /** Extra environment for the platform process (a benchmark's A/B knobs). */
  env?: Record<string, string>;
  signal?: AbortSignal;
  timeoutMs?: number;
}

export const SERVE_ENTRY = join(PROJECT_ROOT, 'reference-system', 'serve.ts');

export async function startPlatformProcess(state: StackState, opts: PlatformProcessOptions): Promise<PlatformState> {
  if (!existsSync(SERVE_ENTRY)) throw new BrinkError('MISSING_DEPENDENCY', `the reference platform entry ${SERVE_ENTRY} is missing`);
  const dir = state.dir || join(PROJECT_ROOT, '.brink');
  mkdirSync(dir, { recursive: true });
  const logFile = join(dir, `platform-${Date.now()}.log`);
  const args = [...(opts.execArgv ?? []), join(PROJECT_ROOT, 'bin', 'run-ts.js'), SERVE_ENTRY, '--state', opts.stateFile ?? STACK_STATE_FILE, '--variant', opts.variant];
  for (const [k, v] of Object.entries(opts.switches)) args.push('--switch', `${k}=${v ? 'on' : 'off'}`);
  if (opts.split) args.push('--split');
  if (opts.chatInstances) args.push('--chat-instances', String(opts.chatInstances));
  if (opts.gatewayInstances && opts.gatewayInstances > 1) args.push('--gateway-processes', String(opts.gatewayInstances));
  if (opts.toxiproxyHops ?? true) args.push('--toxiproxy-hops');
  if (opts.proxiedInfra ?? true) args.push('--proxied-infra');
  const proc = spawnDetached('platform', process.execPath, args, { logFile, cwd: PROJECT_ROOT, ...(opts.env ? { env: opts.env } : {}) });
  try {
    const ready = await waitFor(
      'the reference platform',
      async () => {
        const line = readFileSync(logFile, 'utf8').split('\n').find((l) => l.startsWith('{"ready":true'));
        if (line) return JSON.parse(line) as { services: Record<string, string>; jwtSecret: string };
        if (!isRunning(proc.pid)) throw new Error(`it exited: ${tail(logFile, 8)}`);
        return undefined;
      },
      { timeoutMs: opts.timeoutMs ?? 300_000, intervalMs: 200, ...(opts.signal ? { signal: opts.signal } : {}), hint: () => `log ${logFile}: ${tail(logFile, 5)}` },
    );
    const layout = { split: Boolean(opts.split), gatewayInstances: Math.max(1, opts.gatewayInstances ?? 1) };
    return { variant: opts.variant, switches: opts.switches, pid: proc.pid, services: ready.services, jwtSecret: ready.jwtSecret, layout };
  } catch (e) {
    await stopProcessGroup(proc.pid);
    throw e;
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function stopPlatformProcess(state: StackState): Promise<void> {
  if (state.platform?.pid) await stopProcessGroup(state.platform.pid, 8000);
}
