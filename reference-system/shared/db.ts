/**
 * The DbProvider over node-postgres. It reads the switches on every query, so flipping them on a
 * running stack changes behaviour at once:
 * - `pooling` off: every query opens its own pg.Client, connects, runs and ends it (NF-1's
 *   "connection per request");
 * - `shared-pool` off: one pool per module name (MO-1's 48+ clients);
 * - both on: one pool per service, `poolMax` connections (Nova standardises 15), idle 30 s,
 *   connect timeout 2 s (CP-2).
 * Every query is named (the sql-audit catalog id) and timed into a histogram by name and outcome.
 * Statement timeouts use SET LOCAL inside a transaction: behind PgBouncer in transaction mode a
 * plain SET would leak to whoever gets the server connection next.
 */
import pg from 'pg';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { Db, DbProvider } from './context.ts';
import type { Switches } from '../../core/index.ts';
import { counter, gauge, histogram, LATENCY_BUCKETS_S } from './metrics.ts';
import { addDbTime } from './server-timing.ts';

export interface DbProviderOptions {
  /** Connection string (PgBouncer in transaction mode for the platform). */
  url: string;
  service: string;
  switches: Readonly<Switches>;
  metrics: Registry;
  log: Logger;
  poolMax?: number;
  idleTimeoutMs?: number;
  connectTimeoutMs?: number;
}

export interface ClosableDbProvider extends DbProvider {
  close(): Promise<void>;
  /** Connections opened by `pooling` off since start (NF-1 evidence). */
  readonly unpooledConnects: number;
}

export const DEFAULT_POOL_MAX = 15;
export const DEFAULT_IDLE_TIMEOUT_MS = 30_000;
export const DEFAULT_CONNECT_TIMEOUT_MS = 2_000;

/** SQLSTATE 57014: query_canceled, what a statement timeout raises. */
export function isStatementTimeout(e: unknown): boolean {
  return (e as { code?: unknown } | null)?.code === '57014';
}

/** Errors that mean the database (or PgBouncer) could not be reached, as opposed to a bad query. */
export function isConnectionError(e: unknown): boolean {
  const err = e as { code?: unknown; message?: unknown } | null;
  const code = typeof err?.code === 'string' ? err.code : '';
  const msg = typeof err?.message === 'string' ? err.message : '';
  return (
    ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', '57P01', '57P03', '08000', '08003', '08006', '08001', '08004'].includes(code) ||
    /timeout exceeded when trying to connect|Connection terminated|connection timeout|server closed the connection|no more connections allowed|Client has encountered a connection error/i.test(msg)
  );
}

export function createDbProvider(opts: DbProviderOptions): ClosableDbProvider {
  const poolMax = opts.poolMax ?? DEFAULT_POOL_MAX;
  const idleTimeoutMillis = opts.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
  const connectionTimeoutMillis = opts.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const pools = new Map<string, pg.Pool>();
  let unpooledConnects = 0;
  let closed = false;

  const duration = histogram(opts.metrics, {
    name: 'brink_db_query_duration_seconds',
    help: 'Query duration by service and catalog name (connect included when pooling is off)',
    labelNames: ['service', 'query', 'outcome'],
    buckets: LATENCY_BUCKETS_S,
  });
  const connects = counter(opts.metrics, { name: 'brink_db_unpooled_connects_total', help: 'Connections opened per query with pooling off (NF-1)', labelNames: ['service'] });
  const poolGauge = gauge(opts.metrics, {
    name: 'brink_db_pool_connections',
    help: 'pg pool connections by state (in_use, idle, waiting = queued requests)',
    labelNames: ['service', 'module', 'state'],
  });
  // One collect per registry would overwrite other providers' values; instead each provider
  // refreshes its own label sets before a scrape through this hook.
  collectors.add(refreshGauges);
  function refreshGauges(): void {
    for (const s of provider.stats()) {
      poolGauge.set({ service: opts.service, module: s.module, state: 'in_use' }, s.total - s.idle);
      poolGauge.set({ service: opts.service, module: s.module, state: 'idle' }, s.idle);
      poolGauge.set({ service: opts.service, module: s.module, state: 'waiting' }, s.waiting);
    }
  }

  function poolFor(moduleName: string): pg.Pool {
    const key = opts.switches['shared-pool'] ? opts.service : `${opts.service}/${moduleName}`;
    let pool = pools.get(key);
    if (!pool) {
      pool = new pg.Pool({ connectionString: opts.url, max: poolMax, idleTimeoutMillis, connectionTimeoutMillis, application_name: `brink-${key}`.slice(0, 63) });
      // An idle client losing its server (Postgres restarted, a Toxiproxy fault) must not crash the process.
      pool.on('error', (e) => opts.log.warn({ err: e.message, pool: key }, 'idle pg client error'));
      // A connection reset while a client is checked out (between the statements of a transaction,
      // or by a Toxiproxy reset_peer) is emitted on the client, not the pool; without a listener
      // Node would end the process. The query in flight still rejects and answers 503.
      pool.on('connect', (client) => client.on('error', (e) => opts.log.warn({ err: e.message, pool: key }, 'pg connection lost')));
      pools.set(key, pool);
    }
    return pool;
  }

  async function withClient<T>(moduleName: string, fn: (c: pg.ClientBase) => Promise<T>): Promise<T> {
    if (closed) throw new Error('database provider is closed');
    if (!opts.switches.pooling) {
      const client = new pg.Client({ connectionString: opts.url, connectionTimeoutMillis, application_name: `brink-${opts.service}-unpooled` });
      client.on('error', () => undefined);
      unpooledConnects++;
      connects.inc({ service: opts.service });
      await client.connect();
      try {
        return await fn(client);
      } finally {
        await client.end().catch(() => undefined);
      }
    }
    const client = await poolFor(moduleName).connect();
    let broken: Error | undefined;
    try {
      return await fn(client);
    } catch (e) {
      if (isConnectionError(e)) broken = e as Error;
      throw e;
    } finally {
      client.release(broken);
    }
  }

  async function timed<T>(name: string, run: () => Promise<T>): Promise<T> {
    const end = duration.startTimer({ service: opts.service, query: name });
    const started = performance.now();
    try {
      const r = await run();
      end({ outcome: 'ok' });
      return r;
    } catch (e) {
      end({ outcome: isStatementTimeout(e) ? 'timeout' : isConnectionError(e) ? 'unavailable' : 'error' });
      throw e;
    } finally {
      addDbTime(performance.now() - started);
    }
  }

  function forModule(moduleName: string): Db {
    const query: Db['query'] = (name, sql, params = [], options) =>
      timed(name, () =>
        withClient(moduleName, async (c) => {
          if (!options?.statementTimeoutMs) return (await c.query(sql, params as unknown[])).rows;
          await c.query('BEGIN');
          try {
            await c.query(`SET LOCAL statement_timeout = ${Math.max(1, Math.floor(options.statementTimeoutMs))}`);
            const rows = (await c.query(sql, params as unknown[])).rows;
            await c.query('COMMIT');
            return rows;
          } catch (e) {
            await c.query('ROLLBACK').catch(() => undefined);
            throw e;
          }
        }),
      ) as never;
    return {
      query,
      transaction: (fn) =>
        withClient(moduleName, async (c) => {
          await c.query('BEGIN');
          try {
            const tx = {
              query: ((name: string, sql: string, params: readonly unknown[] = [], options?: { statementTimeoutMs?: number }) =>
                timed(name, async () => {
                  if (options?.statementTimeoutMs) await c.query(`SET LOCAL statement_timeout = ${Math.max(1, Math.floor(options.statementTimeoutMs))}`);
                  return (await c.query(sql, params as unknown[])).rows;
                })) as Db['query'],
            };
            const out = await fn(tx);
            await c.query('COMMIT');
            return out;
          } catch (e) {
            await c.query('ROLLBACK').catch(() => undefined);
            throw e;
          }
        }),
    };
  }

  const provider: ClosableDbProvider = {
    forModule,
    stats: () =>
      [...pools.entries()].map(([module, p]) => ({ module, total: p.totalCount, idle: p.idleCount, waiting: p.waitingCount, max: poolMax })),
    get unpooledConnects() {
      return unpooledConnects;
    },
    async close() {
      closed = true;
      collectors.delete(refreshGauges);
      await Promise.all([...pools.values()].map((p) => p.end().catch(() => undefined)));
      pools.clear();
    },
  };
  return provider;
}

const collectors = new Set<() => void>();
/** Refreshes every open provider's pool gauges; call before serialising the registry. */
export function refreshPoolGauges(): void {
  for (const fn of collectors) fn();
}
