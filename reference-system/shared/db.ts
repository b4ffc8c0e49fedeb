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
 * plain SET would leak to whoever gets the server connection next (db-statements.ts).
 */
import pg from 'pg';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { DbProvider } from './context.ts';
import type { Switches } from '../../core/index.ts';
import { isConnectionError } from './db-errors.ts';
import { dbMetrics, queryTimer, watchPoolGauges } from './db-metrics.ts';
import { createPoolSet, type PoolSet } from './db-pools.ts';
import { moduleDb, type ClientRunner } from './db-statements.ts';

export { isConnectionError, isStatementTimeout } from './db-errors.ts';
export { refreshPoolGauges } from './db-metrics.ts';

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

export function createDbProvider(opts: DbProviderOptions): ClosableDbProvider {
  const connectionTimeoutMillis = opts.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const pools = createPoolSet({
    url: opts.url,
    service: opts.service,
    switches: opts.switches,
    log: opts.log,
    max: opts.poolMax ?? DEFAULT_POOL_MAX,
    idleTimeoutMillis: opts.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
    connectionTimeoutMillis,
  });
  const metrics = dbMetrics(opts.metrics);
  const state = { closed: false, unpooledConnects: 0 };
  const unwatch = watchPoolGauges(metrics.pools, opts.service, pools.stats);
  const withClient = clientRunner(opts, connectionTimeoutMillis, pools, state, () => metrics.connects.inc({ service: opts.service }));
  const timed = queryTimer(metrics.duration, opts.service);
  return {
    forModule: (moduleName) => moduleDb(moduleName, withClient, timed),
    stats: pools.stats,
    get unpooledConnects() {
      return state.unpooledConnects;
    },
    async close() {
      state.closed = true;
      unwatch();
      await pools.close();
    },
  };
}

/**
 * A connection per call with `pooling` off (NF-1), else one from the module's pool. A pooled client
 * whose connection broke is released as broken, so the pool drops it instead of handing it out again.
 */
function clientRunner(
  opts: Pick<DbProviderOptions, 'url' | 'service' | 'switches'>,
  connectionTimeoutMillis: number,
  pools: PoolSet,
  state: { closed: boolean; unpooledConnects: number },
  countUnpooled: () => void,
): ClientRunner {
  return async (moduleName, fn) => {
    if (state.closed) throw new Error('database provider is closed');
    if (!opts.switches.pooling) {
      const client = new pg.Client({ connectionString: opts.url, connectionTimeoutMillis, application_name: `brink-${opts.service}-unpooled` });
      client.on('error', () => undefined);
      state.unpooledConnects++;
      countUnpooled();
      await client.connect();
      try {
        return await fn(client);
      } finally {
        await client.end().catch(() => undefined);
      }
    }
    const client = await pools.poolFor(moduleName).connect();
    let broken: Error | undefined;
    try {
      return await fn(client);
    } catch (e) {
      if (isConnectionError(e)) broken = e as Error;
      throw e;
    } finally {
      client.release(broken);
    }
  };
}
