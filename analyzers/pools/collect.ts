/**
 * Live inputs of the pool audit: Postgres's max_connections, PgBouncer's settings (its admin
 * console, SHOW CONFIG) and pg_stat_statements snapshots. Read-only.
 */
import pg from 'pg';
import { describePgError, inRolledBackTx } from '../db.ts';
import type { Deployment } from './deployment.ts';
import type { StatementStat } from './littles-law.ts';

export async function readPostgresLimits(client: pg.Client, timeoutMs: number): Promise<NonNullable<Deployment['postgres']>> {
  return inRolledBackTx(client, { readOnly: true, timeoutMs }, async () => {
    const r = await client.query<{ max: string; reserved: string }>("SELECT current_setting('max_connections') AS max, current_setting('superuser_reserved_connections') AS reserved");
    return { maxConnections: Number(r.rows[0]!.max), reservedConnections: Number(r.rows[0]!.reserved) };
  });
}

/** PgBouncer's settings from its admin console (database "pgbouncer"; the user must be in admin_users or stats_users). */
export async function readPgbouncerSettings(pgbouncerUrl: string): Promise<NonNullable<Deployment['pgbouncer']>> {
  const u = new URL(pgbouncerUrl);
  u.pathname = '/pgbouncer';
  const client = new pg.Client({ connectionString: u.toString(), connectionTimeoutMillis: 3_000 });
  client.on('error', () => {});
  await client.connect();
  try {
    const r = await client.query<{ key: string; value: string }>('SHOW CONFIG');
    const get = (k: string) => r.rows.find((row) => row.key === k)?.value;
    return {
      poolMode: (get('pool_mode') ?? 'session') as 'session' | 'transaction' | 'statement',
      defaultPoolSize: Number(get('default_pool_size') ?? 20),
      maxDbConnections: Number(get('max_db_connections') ?? 0),
      maxClientConn: Number(get('max_client_conn') ?? 100),
    };
  } finally {
    await client.end().catch(() => {});
  }
}

export type StatementsSnapshot = { ok: true; stats: StatementStat[]; atMs: number } | { ok: false; reason: string };

/** This database's pg_stat_statements rows; a reason instead when the extension is missing or unreadable. */
export async function snapshotStatements(client: pg.Client, timeoutMs: number): Promise<StatementsSnapshot> {
  try {
    return await inRolledBackTx(client, { readOnly: true, timeoutMs }, async () => {
      const has = await client.query("SELECT 1 FROM pg_extension WHERE extname = 'pg_stat_statements'");
      if (!has.rowCount) return { ok: false as const, reason: 'pg_stat_statements is not installed in this database (CREATE EXTENSION pg_stat_statements; it also needs shared_preload_libraries)' };
      const r = await client.query<{ query: string; calls: string; ms: number }>(
        'SELECT query, calls, total_exec_time AS ms FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())',
      );
      return { ok: true as const, atMs: Date.now(), stats: r.rows.map((x) => ({ query: x.query, calls: Number(x.calls), totalExecMs: Number(x.ms) })) };
    });
  } catch (e) {
    return { ok: false, reason: `pg_stat_statements could not be read: ${describePgError(e).message}` };
  }
}
