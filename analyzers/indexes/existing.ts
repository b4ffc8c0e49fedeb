/** Reads the database's indexes from pg_index / pg_stat_user_indexes (a read-only, rolled-back query). */
import type pg from 'pg';
import { inRolledBackTx } from '../db.ts';
import type { ExistingIndex } from './types.ts';

const SQL = `
SELECT c.relname AS table, i.relname AS name, am.amname AS method,
       x.indisunique AS unique, x.indisprimary AS primary, x.indisvalid AS valid,
       pg_get_indexdef(x.indexrelid) AS definition,
       pg_get_expr(x.indpred, x.indrelid, true) AS predicate,
       ARRAY(SELECT pg_get_indexdef(x.indexrelid, k, true) FROM generate_series(1, x.indnkeyatts) k ORDER BY k) AS exprs,
       ARRAY(SELECT (x.indoption[k - 1] & 1) = 1 FROM generate_series(1, x.indnkeyatts) k ORDER BY k) AS descs,
       pg_relation_size(x.indexrelid) AS size_bytes,
       coalesce(s.idx_scan, 0) AS scans
FROM pg_index x
JOIN pg_class i ON i.oid = x.indexrelid
JOIN pg_class c ON c.oid = x.indrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_am am ON am.oid = i.relam
LEFT JOIN pg_stat_user_indexes s ON s.indexrelid = x.indexrelid
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_toast'
ORDER BY c.relname, i.relname`;

export async function readExistingIndexes(client: pg.Client, timeoutMs: number): Promise<ExistingIndex[]> {
  return inRolledBackTx(client, { readOnly: true, timeoutMs }, async () => {
    const r = await client.query(SQL);
    return r.rows.map((row) => ({
      table: row.table,
      name: row.name,
      method: row.method,
      unique: row.unique,
      primary: row.primary,
      valid: row.valid,
      columns: (row.exprs as string[]).map((expr, k) => ({ expr, desc: Boolean((row.descs as boolean[])[k]) })),
      predicate: row.predicate,
      definition: row.definition,
      sizeBytes: Number(row.size_bytes),
      scans: Number(row.scans),
    }));
  });
}

/** When statistics were last reset (pg_stat_user_indexes counts from then), or null if never. */
export async function readStatsReset(client: pg.Client, timeoutMs: number): Promise<string | null> {
  return inRolledBackTx(client, { readOnly: true, timeoutMs }, async () => {
    const r = await client.query<{ reset: Date | null }>('SELECT stats_reset AS reset FROM pg_stat_database WHERE datname = current_database()');
    return r.rows[0]?.reset?.toISOString() ?? null;
  });
}
