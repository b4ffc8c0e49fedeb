/** The pg pools of one provider: one per service, or one per module with `shared-pool` off (MO-1). */
import pg from 'pg';
import type { Logger } from 'pino';
import type { Switches } from '../../core/index.ts';
import type { DbProvider } from './context.ts';

export interface PoolSetOptions {
  url: string;
  service: string;
  switches: Readonly<Switches>;
  log: Logger;
  max: number;
  idleTimeoutMillis: number;
  connectionTimeoutMillis: number;
}

export interface PoolSet {
  /** The pool a module's queries use, opened on first use. */
  poolFor(moduleName: string): pg.Pool;
  stats: DbProvider['stats'];
  close(): Promise<void>;
}

/** The pool's key (and application_name): the service, or service/module without a shared pool. */
export function poolKey(service: string, moduleName: string, sharedPool: boolean): string {
  return sharedPool ? service : `${service}/${moduleName}`;
}

export function createPoolSet(o: PoolSetOptions): PoolSet {
  const pools = new Map<string, pg.Pool>();
  return {
    poolFor(moduleName) {
      const key = poolKey(o.service, moduleName, o.switches['shared-pool']);
      let pool = pools.get(key);
      if (!pool) {
        pool = openPool(o, key);
        pools.set(key, pool);
      }
      return pool;
    },
    stats: () => [...pools.entries()].map(([module, p]) => ({ module, total: p.totalCount, idle: p.idleCount, waiting: p.waitingCount, max: o.max })),
    async close() {
      await Promise.all([...pools.values()].map((p) => p.end().catch(() => undefined)));
      pools.clear();
    },
  };
}

function openPool(o: PoolSetOptions, key: string): pg.Pool {
  const { max, idleTimeoutMillis, connectionTimeoutMillis } = o;
  const pool = new pg.Pool({ connectionString: o.url, max, idleTimeoutMillis, connectionTimeoutMillis, application_name: `brink-${key}`.slice(0, 63) });
  // An idle client losing its server (Postgres restarted, a Toxiproxy fault) must not crash the process.
  pool.on('error', (e) => o.log.warn({ err: e.message, pool: key }, 'idle pg client error'));
  // A connection reset while a client is checked out (between the statements of a transaction,
  // or by a Toxiproxy reset_peer) is emitted on the client, not the pool; without a listener
  // Node would end the process. The query in flight still rejects and answers 503.
  pool.on('connect', (client) => client.on('error', (e) => o.log.warn({ err: e.message, pool: key }, 'pg connection lost')));
  return pool;
}
