/**
 * Shared pieces of the experiments: the platform check, a probe user, the gateway probe, the
 * breaker monitor that puts every breaker change on the timeline, and a direct SQL helper.
 */
import pg from 'pg';
import { BrinkError } from '../../core/index.ts';
import type { StackState, PlatformState } from '../../stack/index.ts';
import type { RunnerHooks } from '../journal.ts';
import type { ProbeSpec } from '../experiment.ts';
import { feedCall, probeAgent, watchBreakers, type BreakerState } from '../gateway.ts';
import type { Measurements } from '../hypothesis.ts';

/**
 * The steady state's latency bound: "healthy" (no hang), not "fast". Generous on purpose: the
 * stack, the platform, the probes and often other work share one small machine (a load average
 * of 20 on 2 cores made get_user_posts' P99 reach 3.6 s before any fault); the claims under
 * test have their own bounds.
 */
export const STEADY_P99_MS = 5000;

export function requirePlatform(stack: StackState, experiment: string): PlatformState & { gateway: string } {
  const p = stack.platform;
  const gateway = p?.services.gateway;
  if (!p || !gateway) {
    throw new BrinkError('STACK_NOT_RUNNING', `experiment ${experiment} needs the reference platform, and this stack has none`, {
      suggestion: 'start it with "brink stack up" (the platform starts with it)',
    });
  }
  return { ...p, gateway };
}

/** A stack URL pointed at another database (the platform's may not be the stack's default). */
export function onDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** Runs one SQL statement straight on the platform's database in Postgres (superuser, no proxy). */
export async function sql<R extends Record<string, unknown>>(stack: StackState, text: string, params: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: onDatabase(stack.urls.postgres, stack.database), connectionTimeoutMillis: 5000, statement_timeout: 10_000 });
  await client.connect();
  try {
    return (await client.query<R>(text, params)).rows;
  } finally {
    await client.end();
  }
}

/**
 * The user the probes act as, and a user whose posts they read: an ordinary author (some posts,
 * not a 100k-post heavy user, whose unindexed get_user_posts would be slow before any fault).
 */
export async function probeUsers(stack: StackState): Promise<{ userId: number; authorId: number }> {
  // A user following a few dozen accounts: a feed neither empty nor the power-law extreme.
  const users = await sql<{ id: number }>(
    stack,
    `SELECT id FROM (SELECT follower_id AS id FROM follows GROUP BY follower_id HAVING count(*) BETWEEN 5 AND 50 ORDER BY follower_id LIMIT 1) f
     UNION ALL (SELECT id FROM users ORDER BY id LIMIT 1) LIMIT 1`,
  );
  if (users.length === 0) throw new BrinkError('INVALID_INPUT', 'the platform database has no users to probe as', { suggestion: 'seed it with "brink seed --scale small"' });
  const authors = await sql<{ user_id: number }>(
    stack,
    'SELECT user_id FROM posts WHERE deleted_at IS NULL GROUP BY user_id HAVING count(*) BETWEEN 3 AND 2000 ORDER BY user_id LIMIT 1',
  );
  return { userId: Number(users[0]!.id), authorId: Number(authors[0]?.user_id ?? users[0]!.id) };
}

export interface GatewayProbeOptions {
  path: string;
  concurrency: number;
  pauseMs: number;
  timeoutMs: number;
  slowMs: number;
  /** Ask for gzip (bytes then count what crossed the wire). */
  gzip?: boolean;
  /** Probe through this base URL instead of the gateway's (a proxy in front of it). */
  baseUrl?: string;
}

/** A probe of GET {gateway}{path} as the probe user, with its own keep-alive agent (closed by close()). */
export async function gatewayProbe(stack: StackState, experiment: string, opts: GatewayProbeOptions): Promise<{ probe: ProbeSpec; close: () => Promise<void> }> {
  const platform = requirePlatform(stack, experiment);
  const { userId } = await probeUsers(stack);
  const agent = probeAgent(opts.concurrency);
  const call = await feedCall(opts.baseUrl ?? platform.gateway, platform.jwtSecret, userId, agent, opts.path, opts.gzip ?? false);
  return {
    probe: { call, concurrency: opts.concurrency, pauseMs: opts.pauseMs, timeoutMs: opts.timeoutMs, slowMs: opts.slowMs },
    close: () => agent.close(),
  };
}

/**
 * One breaker's values for a window, from its state changes (times since the run's start):
 * whether it opened inside the window, its state at the window's end, and the sequence of states
 * from the start to the window's end, with the half-open step an observed open -> closed implies.
 */
export function breakerWindowValues(changes: readonly { tMs: number; to: BreakerState }[], startMs: number, endMs: number): Measurements {
  const inside = changes.filter((c) => c.tMs >= startMs && c.tMs < endMs);
  const atEnd = [...changes].reverse().find((c) => c.tMs < endMs)?.to ?? 'unknown';
  const seq: string[] = [];
  for (const c of changes.filter((c) => c.tMs < endMs)) {
    if (seq.at(-1) === 'open' && c.to === 'closed') seq.push('half-open');
    if (seq.at(-1) !== c.to) seq.push(c.to);
  }
  return {
    breakerOpened: inside.some((c) => c.to === 'open') || (inside.length === 0 && atEnd === 'open') ? 'yes' : 'no',
    breakerState: atEnd,
    breakerSequence: seq.join(','),
  };
}

/**
 * Watches the gateway's breakers for the whole run: each change goes on the timeline; measure()
 * says whether `service`'s breaker opened in a window, its state at the end, and the sequence.
 * Polling can miss a half-open that lasts one trial call; opossum only closes an open breaker
 * through half-open, so an observed open -> closed is labelled as having passed through it.
 */
export function breakerMonitor(gateway: string, service: string, hooks: RunnerHooks, pollMs = 100) {
  const changes: { tMs: number; to: BreakerState }[] = [];
  let watcher: ReturnType<typeof watchBreakers> | undefined;
  return {
    start() {
      watcher = watchBreakers(gateway, 0, pollMs, (c) => {
        const tMs = Math.round(hooks.now());
        const via = c.from === 'open' && c.to === 'closed' ? ' (via half-open: the trial call succeeded)' : '';
        if (c.from !== 'unknown') hooks.mark({ tMs, kind: 'breaker', label: `${c.service} breaker ${c.from} -> ${c.to}${via}`, details: { service: c.service, from: c.from, to: c.to } });
        if (c.service === service) changes.push({ tMs, to: c.to });
      }, 15 * 60_000);
    },
    async stop() {
      await watcher?.stop();
    },
    /** Values for a window [startMs, endMs) of the run. */
    measure: (startMs: number, endMs: number): Measurements => breakerWindowValues(changes, startMs, endMs),
  };
}

function pgbouncerAdmin(stack: StackState): pg.Client {
  return new pg.Client({ connectionString: onDatabase(stack.urls.pgbouncer, 'pgbouncer'), connectionTimeoutMillis: 5000 });
}

/** PgBouncer's default_pool_size, read live from its admin console (SHOW CONFIG). */
export async function pgbouncerPoolSize(stack: StackState): Promise<number> {
  const client = pgbouncerAdmin(stack);
  await client.connect();
  try {
    const rows = (await client.query('SHOW CONFIG')).rows as { key: string; value: string }[];
    const size = Number(rows.find((r) => r.key === 'default_pool_size')?.value);
    if (!Number.isInteger(size) || size <= 0) throw new Error(`PgBouncer reported default_pool_size "${String(size)}"`);
    return size;
  } finally {
    await client.end();
  }
}

/**
 * PgBouncer's view of the platform database (admin console, SHOW POOLS / SHOW CLIENTS) and
 * Postgres's (sessions idle in a transaction): the numbers that show a leaked or stuck connection.
 */
export async function connectionCounts(stack: StackState): Promise<Measurements> {
  const client = pgbouncerAdmin(stack);
  await client.connect();
  let clients = 0;
  let waiting = 0;
  let serverActive = 0;
  try {
    for (const row of (await client.query('SHOW CLIENTS')).rows as { database: string }[]) if (row.database === stack.database) clients++;
    for (const row of (await client.query('SHOW POOLS')).rows as { database: string; cl_waiting: string; sv_active: string }[]) {
      if (row.database !== stack.database) continue;
      waiting += Number(row.cl_waiting);
      serverActive += Number(row.sv_active);
    }
  } finally {
    await client.end();
  }
  const [stuck] = await sql<{ n: string }>(stack, "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = $1 AND state = 'idle in transaction'", [stack.database]);
  // The admin console and our own session are not the platform's: SHOW CLIENTS lists only pgbouncer's clients of this database.
  return { pgbouncerClients: clients, pgbouncerWaiting: waiting, serverActive, idleInTransaction: Number(stuck?.n ?? 0) };
}
