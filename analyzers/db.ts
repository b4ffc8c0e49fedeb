/**
 * Database access for the analyzers: one direct connection (never through PgBouncer: HypoPG's
 * hypothetical indexes and SET LOCAL live in one backend session), and transactions that are
 * always rolled back, so an audit never leaves anything behind in a user's database.
 */
import pg from 'pg';
import { BrinkError } from '../core/index.ts';

export async function connectDirect(url: string, timeoutMs = 5_000): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs, application_name: 'brink-audit' });
  // An idle connection that errors later (server restart) must not crash the process.
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (e) {
    await client.end().catch(() => {});
    throw new BrinkError('UNREACHABLE', `cannot connect to ${redactUrl(url)}: ${(e as Error).message}`, {
      cause: e,
      suggestion: 'check --database-url, or start the reference stack with `brink stack up`',
    });
  }
  return client;
}

export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}

export interface TxOptions {
  readOnly: boolean;
  /** SET LOCAL statement_timeout, in ms. */
  timeoutMs: number;
}

/** Runs fn inside BEGIN ... ROLLBACK with a local statement (and lock) timeout. Never commits. */
export async function inRolledBackTx<T>(client: pg.ClientBase, opts: TxOptions, fn: () => Promise<T>): Promise<T> {
  const timeout = Math.max(1, Math.floor(opts.timeoutMs));
  await client.query(opts.readOnly ? 'BEGIN READ ONLY' : 'BEGIN');
  try {
    // Integers validated above: SET does not take bind parameters.
    await client.query(`SET LOCAL statement_timeout = ${timeout}`);
    await client.query(`SET LOCAL lock_timeout = ${Math.min(timeout, 2_000)}`);
    return await fn();
  } finally {
    await client.query('ROLLBACK').catch(() => {});
  }
}

/** A Postgres error, told in words a user can act on. */
export function describePgError(e: unknown, timeoutMs?: number): { code: string; message: string; timedOut: boolean } {
  const err = e as { code?: string; message?: string };
  const code = err.code ?? 'unknown';
  const base = err.message ?? String(e);
  const text: Record<string, string> = {
    '57014': `cancelled by statement_timeout${timeoutMs ? ` (${timeoutMs} ms)` : ''}: the query is slower than the audit allows`,
    '42501': `permission denied (${base}): grant the audit user SELECT on the tables it reads`,
    '25006': `the database refused a write (${base}): a read-only user or a standby; writes are explained without ANALYZE`,
    '42P01': `${base}: the query names a table this database does not have (wrong database or schema?)`,
    '42883': `${base}: a function or operator is missing (an extension such as pg_trgm not installed?)`,
    '55P03': `${base}: a lock could not be taken quickly; the audit does not wait on a busy table`,
  };
  return { code, message: text[code] ?? base, timedOut: code === '57014' };
}
