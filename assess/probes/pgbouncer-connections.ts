import pg from 'pg';
import type { ClaimProbe } from '../probe.ts';
import type { AssessContext } from '../context.ts';
import { fact, higherIsBetter, judged, lowerIsBetter, show, unmeasured, type ProbeResult } from '../verdict.ts';
import { n } from './lib.ts';

/** What opening client connections to PgBouncer showed (NF-12). */
export interface ClientFlood {
  /** Clients this probe tried to open. */
  attempted: number;
  /** Clients PgBouncer accepted (startup completed) and that then answered SELECT 1. */
  accepted: number;
  served: number;
  /** Client connections the platform itself held before (SHOW POOLS cl_*). */
  platformClients: number;
  /** The first refusal, e.g. "no more connections allowed (max_client_conn)". */
  firstRefusal?: string;
  config: Record<string, string>;
}

/** Pools loaded at once through PgBouncer (NV-6): what PgBouncer and Postgres showed at the peak. */
export interface PoolLoad {
  pools: number;
  perPool: number[];
  clients: number;
  queries: number;
  errors: number;
  peakServerConnections: number;
  peakClientConnections: number;
  peakWaiting: number;
}

export interface PgbouncerMeasurement {
  flood: ClientFlood;
  novaBudget: PoolLoad;
  standardized: PoolLoad;
  maxDbConnections: number;
}

export function judgeNf12(f: ClientFlood): ProbeResult {
  const held = f.accepted + f.platformClients;
  const asClaimed = f.config.pool_mode === 'transaction' && f.config.max_client_conn === '1000' && f.config.default_pool_size === '25' && f.config.max_db_connections === '100';
  return judged(
    'NF-12',
    `opened up to ${f.attempted} client connections to the running PgBouncer (configured as NF-12 says) in batches, then ran SELECT 1 on each; SHOW POOLS for the platform's own clients`,
    `${f.accepted} accepted beside the platform's ${f.platformClients} (${held} clients in all), ${f.served} served SELECT 1; ${f.firstRefusal ? `next refused: "${f.firstRefusal}"` : 'none refused'}; config ${['pool_mode', 'max_client_conn', 'default_pool_size', 'max_db_connections'].map((k) => `${k}=${f.config[k] ?? '?'}`).join(', ')}`,
    // The settings are the claim's premise, not a target: measured otherwise, the claim is not tested.
    [asClaimed
      ? higherIsBetter('supports 10,000+ client connections', f.served < f.accepted ? f.served + f.platformClients : held, 10_000, show.n)
      : unmeasured('supports 10,000+ client connections', `PgBouncer does not run with the claimed settings (${['pool_mode', 'max_client_conn', 'default_pool_size', 'max_db_connections'].map((k) => f.config[k] ?? '?').join(', ')})`)],
    { clientsHeld: held, accepted: f.accepted, served: f.served },
  );
}

export function judgeNv6(m: PgbouncerMeasurement): ProbeResult {
  const a = m.novaBudget;
  const b = m.standardized;
  return judged(
    'NV-6',
    `opened ${a.pools} pools at Nova's sizes (${a.perPool.join(' + ')} = ${a.clients}) and then ${b.pools} pools of ${b.perPool[0]} (${b.clients}) through PgBouncer, each pool kept busy with short queries; SHOW POOLS sampled every 100 ms`,
    `Nova budget: ${a.clients} clients, ${a.queries} queries, ${a.errors} errors, peak ${a.peakServerConnections} server connections (${a.peakWaiting} clients waiting); standardized: ${b.peakClientConnections} clients onto peak ${b.peakServerConnections} server connections, ${b.errors} errors`,
    [
      fact(`the six pools (${a.clients} connections) run without errors under max_db_connections ${m.maxDbConnections}`, a.queries > 0 ? a.errors === 0 && a.peakServerConnections <= m.maxDbConnections : undefined, `${a.errors} errors, peak ${a.peakServerConnections} server connections`),
      fact('15 services x 15 = 225 client connections held at once', b.queries > 0 ? b.peakClientConnections >= 225 && b.errors === 0 : undefined, `${b.peakClientConnections} clients, ${b.errors} errors`),
      lowerIsBetter('transaction mode multiplexes them onto <= 50 server connections', b.queries > 0 ? b.peakServerConnections : undefined, 50, show.n),
    ],
    { novaClients: a.clients, novaPeakServers: a.peakServerConnections, standardizedClients: b.peakClientConnections, standardizedPeakServers: b.peakServerConnections },
  );
}

const adminUrl = (url: string) => url.replace(/\/[^/]*$/, '/pgbouncer');

async function showPools(admin: pg.Client, database: string): Promise<{ cl: number; waiting: number; sv: number }> {
  const rows = (await admin.query('SHOW POOLS')).rows as Record<string, string>[];
  const mine = rows.filter((r) => r.database === database);
  const sum = (k: string) => mine.reduce((s, r) => s + Number(r[k] ?? 0), 0);
  return { cl: sum('cl_active') + sum('cl_waiting'), waiting: sum('cl_waiting'), sv: sum('sv_active') + sum('sv_idle') + sum('sv_used') + sum('sv_tested') + sum('sv_login') };
}

async function flood(ctx: AssessContext, admin: pg.Client, database: string, attempted: number, config: Record<string, string>): Promise<ClientFlood> {
  const platformClients = (await showPools(admin, database)).cl;
  const clients: pg.Client[] = [];
  let firstRefusal: string | undefined;
  try {
    for (let i = 0; i < attempted && !firstRefusal && !ctx.signal.aborted; i += 50) {
      const batch = Array.from({ length: Math.min(50, attempted - i) }, () => new pg.Client({ connectionString: ctx.stack.urls.pgbouncer, connectionTimeoutMillis: 10_000 }));
      const res = await Promise.allSettled(batch.map(async (c) => {
        c.on('error', () => undefined);
        await c.connect();
        return c;
      }));
      for (const [j, r] of res.entries()) {
        if (r.status === 'fulfilled') clients.push(r.value);
        else {
          firstRefusal ??= (r.reason as Error).message;
          await batch[j]!.end().catch(() => undefined);
        }
      }
    }
    const served = (await Promise.allSettled(clients.map((c) => c.query('SELECT 1')))).filter((r) => r.status === 'fulfilled').length;
    return { attempted, accepted: clients.length, served, platformClients, ...(firstRefusal ? { firstRefusal } : {}), config };
  } finally {
    await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
  }
}

/** Keeps each pool busy for `ms` with short queries while sampling SHOW POOLS. */
async function loadPools(ctx: AssessContext, admin: pg.Client, database: string, sizes: number[], ms: number): Promise<PoolLoad> {
  const pools = sizes.map((max) => new pg.Pool({ connectionString: ctx.stack.urls.pgbouncer, max, connectionTimeoutMillis: 20_000 }));
  for (const p of pools) p.on('error', () => undefined);
  let queries = 0;
  let errors = 0;
  let peak = { cl: 0, waiting: 0, sv: 0 };
  const until = Date.now() + ms;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      const s = await showPools(admin, database).catch(() => undefined);
      if (s) peak = { cl: Math.max(peak.cl, s.cl), waiting: Math.max(peak.waiting, s.waiting), sv: Math.max(peak.sv, s.sv) };
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  try {
    await Promise.all(pools.flatMap((p, i) => Array.from({ length: sizes[i]! }, async () => {
      while (Date.now() < until && !ctx.signal.aborted) {
        await p.query('SELECT pg_sleep(0.02)').then(() => queries++, () => errors++);
      }
    })));
  } finally {
    sampling = false;
    await sampler;
    await Promise.all(pools.map((p) => p.end().catch(() => undefined)));
  }
  return { pools: sizes.length, perPool: sizes, clients: sizes.reduce((a, b) => a + b, 0), queries, errors, peakServerConnections: peak.sv, peakClientConnections: peak.cl, peakWaiting: peak.waiting };
}

/**
 * NV-6 and NF-12, measured by opening the connections: clients against the running PgBouncer
 * (configured as NF-12 says) until it refuses, and pools at Nova's sizes under load with SHOW POOLS.
 */
export const pgbouncerConnections: ClaimProbe = {
  id: 'pgbouncer-connections',
  claimIds: ['NV-6', 'NF-12'],
  description: 'opens client connections to PgBouncer until refused, and loads pools at the claimed sizes while reading SHOW POOLS',
  profiles: ['smoke', 'full'],
  async run(ctx) {
    const admin = new pg.Client({ connectionString: adminUrl(ctx.stack.urls.pgbouncer) });
    admin.on('error', () => undefined);
    await admin.connect();
    try {
      const rows = (await admin.query({ text: 'SHOW CONFIG', rowMode: 'array' })).rows as string[][];
      const config = Object.fromEntries(rows.map((r) => [r[0]!, r[1]!]));
      const database = new URL(ctx.stack.urls.pgbouncer).pathname.slice(1);
      const nova = [20, 10, 10, 10, 20, 20];
      const novaBudget = await loadPools(ctx, admin, database, nova, n(ctx, 2000, 10_000));
      const standardized = await loadPools(ctx, admin, database, Array.from({ length: 15 }, () => 15), n(ctx, 2000, 10_000));
      const f = await flood(ctx, admin, database, n(ctx, 1100, 10_100), config);
      const m: PgbouncerMeasurement = { flood: f, novaBudget, standardized, maxDbConnections: Number(config.max_db_connections ?? 0) };
      return [judgeNv6(m), judgeNf12(f)];
    } finally {
      await admin.end().catch(() => undefined);
    }
  },
};
