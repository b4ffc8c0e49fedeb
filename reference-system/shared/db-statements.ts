/**
 * One module's Db: named queries, optionally under a statement timeout, and transactions. The
 * timeout uses SET LOCAL inside a transaction: behind PgBouncer in transaction mode a plain SET
 * would leak to whoever gets the server connection next.
 */
import type pg from 'pg';
import type { Db } from './context.ts';
import type { QueryTimer } from './db-metrics.ts';

/** Runs fn on a connection for the module (pooled or not, as the switches say). */
export type ClientRunner = <T>(moduleName: string, fn: (c: pg.ClientBase) => Promise<T>) => Promise<T>;

/** The SET LOCAL for a statement timeout: whole milliseconds, at least 1 (0 would mean no timeout). */
export function statementTimeoutSql(ms: number): string {
  return `SET LOCAL statement_timeout = ${Math.max(1, Math.floor(ms))}`;
}

export function moduleDb(moduleName: string, withClient: ClientRunner, timed: QueryTimer): Db {
  return {
    query: moduleQuery(moduleName, withClient, timed),
    transaction: (fn) =>
      withClient(moduleName, async (c) => {
        await c.query('BEGIN');
        try {
          const out = await fn({ query: transactionQuery(c, timed) });
          await c.query('COMMIT');
          return out;
        } catch (e) {
          await c.query('ROLLBACK').catch(() => undefined);
          throw e;
        }
      }),
  };
}

/** A query on its own connection; with a timeout, in a transaction of its own so SET LOCAL applies to it alone. */
function moduleQuery(moduleName: string, withClient: ClientRunner, timed: QueryTimer): Db['query'] {
  return ((name: string, sql: string, params: readonly unknown[] = [], options?: { statementTimeoutMs?: number }) =>
    timed(name, () =>
      withClient(moduleName, async (c) => {
        if (!options?.statementTimeoutMs) return (await c.query(sql, params as unknown[])).rows;
        await c.query('BEGIN');
        try {
          await c.query(statementTimeoutSql(options.statementTimeoutMs));
          const rows = (await c.query(sql, params as unknown[])).rows;
          await c.query('COMMIT');
          return rows;
        } catch (e) {
          await c.query('ROLLBACK').catch(() => undefined);
          throw e;
        }
      }),
    )) as Db['query'];
}

/** A query inside a running transaction; a timeout holds from there to the transaction's end. */
function transactionQuery(c: pg.ClientBase, timed: QueryTimer): Db['query'] {
  return ((name: string, sql: string, params: readonly unknown[] = [], options?: { statementTimeoutMs?: number }) =>
    timed(name, async () => {
      if (options?.statementTimeoutMs) await c.query(statementTimeoutSql(options.statementTimeoutMs));
      return (await c.query(sql, params as unknown[])).rows;
    })) as Db['query'];
}
