/**
 * Loads a generated dataset with COPY, the fast way: in ONE transaction, truncate every table,
 * drop the secondary indexes, COPY ... WITH (FREEZE) each table (with wal_level=minimal a table
 * truncated in the same transaction is not WAL-logged, and frozen rows need no later vacuum),
 * recreate exactly the indexes that were there (so the index switches in force stay in force),
 * reset the id sequences, then ANALYZE. A failure rolls everything back: the previous data stays.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import copyStreams from 'pg-copy-streams';
import { quoteIdent } from '../../sql-audit/index.ts';
import { COPY_COLUMNS, type SeededTable } from './generate.ts';

/** Every platform table, so a re-seed leaves no rows from the previous dataset behind. */
export const PLATFORM_TABLES = [
  'users',
  'follows',
  'posts',
  'comments',
  'conversations',
  'conversation_members',
  'messages',
  'stories',
  'notifications',
  'presence_events',
] as const;

export interface DroppedIndex {
  name: string;
  table: string;
  definition: string;
}

/** Secondary indexes of these tables: not backing a primary key or unique constraint. */
export async function secondaryIndexes(client: pg.ClientBase, tables: readonly string[]): Promise<DroppedIndex[]> {
  const r = await client.query<{ name: string; table: string; definition: string }>(
    `SELECT ic.relname AS name, tc.relname AS table, pg_get_indexdef(i.indexrelid) AS definition
       FROM pg_index i
       JOIN pg_class ic ON ic.oid = i.indexrelid
       JOIN pg_class tc ON tc.oid = i.indrelid
       JOIN pg_namespace n ON n.oid = tc.relnamespace
      WHERE n.nspname = current_schema() AND tc.relname = ANY($1)
        AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
      ORDER BY tc.relname, ic.relname`,
    [tables],
  );
  return r.rows;
}

export interface DroppedConstraint {
  name: string;
  table: string;
  kind: 'primary-key' | 'unique' | 'foreign-key';
  /** pg_get_constraintdef, e.g. "FOREIGN KEY (user_id) REFERENCES users(id)". */
  definition: string;
}

/**
 * Primary keys, unique constraints and foreign keys touching these tables, foreign keys first
 * (they depend on the keys). Maintaining a primary-key b-tree row by row costs more than the COPY
 * itself (0.7 s vs 0.4 s of backend CPU for 150k posts), so keys are rebuilt after the load.
 */
export async function keyConstraints(client: pg.ClientBase, tables: readonly string[]): Promise<DroppedConstraint[]> {
  const r = await client.query<{ name: string; table: string; contype: string; definition: string }>(
    `SELECT k.conname AS name, t.relname AS table, k.contype, pg_get_constraintdef(k.oid) AS definition
       FROM pg_constraint k
       JOIN pg_class t ON t.oid = k.conrelid
       JOIN pg_namespace n ON n.oid = t.relnamespace
       LEFT JOIN pg_class ref ON ref.oid = k.confrelid
      WHERE n.nspname = current_schema() AND k.contype IN ('p', 'u', 'f')
        AND (t.relname = ANY($1) OR ref.relname = ANY($1))
      ORDER BY (k.contype = 'f') DESC, t.relname, k.conname`,
    [tables],
  );
  const kinds = { p: 'primary-key', u: 'unique', f: 'foreign-key' } as const;
  return r.rows.map((row) => ({ name: row.name, table: row.table, kind: kinds[row.contype as 'p' | 'u' | 'f'], definition: row.definition }));
}

export async function dropConstraint(client: pg.ClientBase, c: DroppedConstraint): Promise<void> {
  await client.query(`ALTER TABLE ${quoteIdent(c.table)} DROP CONSTRAINT ${quoteIdent(c.name)}`);
}

/**
 * Re-adds a dropped constraint. Foreign keys are added NOT VALID and then validated: one
 * anti-join over the table instead of a trigger call per row, and the end state is the same
 * (convalidated = true).
 */
export async function restoreConstraint(client: pg.ClientBase, c: DroppedConstraint): Promise<void> {
  const table = quoteIdent(c.table);
  const name = quoteIdent(c.name);
  if (c.kind !== 'foreign-key') {
    await client.query(`ALTER TABLE ${table} ADD CONSTRAINT ${name} ${c.definition}`);
    return;
  }
  await client.query(`ALTER TABLE ${table} ADD CONSTRAINT ${name} ${c.definition} NOT VALID`);
  await client.query(`ALTER TABLE ${table} VALIDATE CONSTRAINT ${name}`);
}

const NEWLINE = 0x0a;

/** Counts rows in COPY text chunks as they pass, for progress and the final figures. */
async function* countingRows(chunks: Iterable<Buffer>, onRows: (rows: number) => void): AsyncGenerator<Buffer> {
  let rows = 0;
  for (const chunk of chunks) {
    let at = chunk.indexOf(NEWLINE);
    while (at !== -1) {
      rows++;
      at = chunk.indexOf(NEWLINE, at + 1);
    }
    onRows(rows);
    yield chunk;
  }
}

/** COPY one table from generated chunks; resolves with the row count. */
export async function copyTable(
  client: pg.ClientBase,
  table: SeededTable,
  chunks: Iterable<Buffer>,
  onRows: (rows: number) => void = () => {},
): Promise<number> {
  const cols = COPY_COLUMNS[table].map(quoteIdent).join(', ');
  let rows = 0;
  const sink = client.query(copyStreams.from(`COPY ${quoteIdent(table)} (${cols}) FROM STDIN WITH (FREEZE)`));
  await pipeline(
    Readable.from(
      countingRows(chunks, (n) => {
        rows = n;
        onRows(n);
      }),
    ),
    sink,
  );
  return rows;
}

/** Sets each bigserial sequence past the largest id, so the platform's inserts do not collide. */
export async function resetSequences(client: pg.ClientBase, tables: readonly string[]): Promise<void> {
  for (const t of tables) {
    const hasId = await client.query(
      `SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 AND column_name = 'id'`,
      [t],
    );
    if (hasId.rowCount === 0) continue;
    const seq = await client.query<{ seq: string | null }>(`SELECT pg_get_serial_sequence($1, 'id') AS seq`, [t]);
    const name = seq.rows[0]?.seq;
    if (!name) continue;
    await client.query(`SELECT setval($1, GREATEST((SELECT max(id) FROM ${quoteIdent(t)}), 1), (SELECT count(*) > 0 FROM ${quoteIdent(t)}))`, [name]);
  }
}
