/**
 * The migration runner: the baseline schema, and the index fixes as switchable migrations.
 * Each file in ./migrations has a header comment, an `-- up` section and a `-- down` section; the
 * SQL is idempotent (IF [NOT] EXISTS), so applying a switch twice changes nothing the second time.
 * Whether a switch is applied is read from pg_indexes, never remembered, so a stack changed by
 * hand or by a crashed run still reports the truth.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SWITCHES, type SwitchId, type Switches } from '../core/index.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
export const BASELINE_SCHEMA_FILE = join(HERE, 'schema', 'baseline.sql');
export const MIGRATIONS_DIR = join(HERE, 'migrations');

/** Anything with pg's `query` (pg.Client, pg.Pool, pg.PoolClient). */
export interface Queryable {
  query(text: string, values?: unknown[]): Promise<{ rows: any[] }>;
}

export interface IndexRef {
  name: string;
  table: string;
}

export interface Migration {
  /** File name without .sql, e.g. "001-posts-user-created-live" (what switches.ts refers to). */
  id: string;
  /** The header comment, without the leading "-- ". */
  description: string;
  up: string;
  down: string;
  /** Indexes the up section creates (parsed from CREATE INDEX statements). */
  indexes: IndexRef[];
}

const CREATE_INDEX_RE =
  /create\s+(?:unique\s+)?index\s+(?:concurrently\s+)?(?:if\s+not\s+exists\s+)?("?[\w.]+"?)\s+on\s+(?:only\s+)?("?[\w.]+"?)/gi;

const unquote = (s: string): string => s.replace(/"/g, '');

/** Indexes created by a piece of SQL, in order. Used for the baseline schema and for migrations. */
export function parseCreatedIndexes(sql: string): IndexRef[] {
  const out: IndexRef[] = [];
  for (const m of stripComments(sql).matchAll(CREATE_INDEX_RE)) {
    out.push({ name: unquote(m[1]!), table: unquote(m[2]!) });
  }
  return out;
}

function stripComments(sql: string): string {
  return sql.replace(/--[^\n]*/g, '');
}

/**
 * Parses one migration file. Throws if the `-- up` or `-- down` marker is missing or out of order,
 * or if a section is empty: a migration that cannot be rolled back would leave a switch stuck on.
 */
export function parseMigration(id: string, text: string): Migration {
  const lines = text.split(/\r?\n/);
  const upAt = lines.findIndex((l) => /^--\s*up\s*$/i.test(l.trim()));
  const downAt = lines.findIndex((l) => /^--\s*down\s*$/i.test(l.trim()));
  if (upAt < 0) throw new Error(`migration ${id}: no "-- up" line`);
  if (downAt < 0) throw new Error(`migration ${id}: no "-- down" line`);
  if (downAt < upAt) throw new Error(`migration ${id}: "-- down" comes before "-- up"`);
  const description = lines
    .slice(0, upAt)
    .filter((l) => l.trim().startsWith('--'))
    .map((l) => l.trim().replace(/^--\s?/, ''))
    .join(' ')
    .trim();
  const up = lines.slice(upAt + 1, downAt).join('\n').trim();
  const down = lines.slice(downAt + 1).join('\n').trim();
  if (stripComments(up).trim() === '') throw new Error(`migration ${id}: empty "-- up" section`);
  if (stripComments(down).trim() === '') throw new Error(`migration ${id}: empty "-- down" section`);
  return { id, description, up, down, indexes: parseCreatedIndexes(up) };
}

/** Every migration in sql-audit/migrations, ordered by file name. */
export function listMigrations(dir: string = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((f) => parseMigration(f.slice(0, -'.sql'.length), readFileSync(join(dir, f), 'utf8')));
}

export function readBaselineSchema(): string {
  return readFileSync(BASELINE_SCHEMA_FILE, 'utf8');
}

/** Creates the baseline schema (idempotent: every statement is IF NOT EXISTS). */
export async function applyBaselineSchema(client: Queryable): Promise<void> {
  await client.query(readBaselineSchema());
}

/** Switches that are index migrations, with their parsed migrations. */
export type IndexSwitchId = Extract<(typeof SWITCHES)[number], { migrations: readonly string[] }>['id'];

export interface IndexSwitch {
  id: IndexSwitchId;
  migrations: Migration[];
}

export function indexSwitches(migrations: Migration[] = listMigrations()): IndexSwitch[] {
  const byId = new Map(migrations.map((m) => [m.id, m]));
  const out: IndexSwitch[] = [];
  for (const s of SWITCHES) {
    if (!('migrations' in s)) continue;
    const ms = s.migrations.map((id) => {
      const m = byId.get(id);
      if (!m) throw new Error(`switch ${s.id} names migration ${id}, which is not in sql-audit/migrations`);
      return m;
    });
    out.push({ id: s.id as IndexSwitchId, migrations: ms });
  }
  return out;
}

export interface IndexSwitchState {
  id: IndexSwitchId;
  /** Every index of the switch exists. */
  applied: boolean;
  present: string[];
  missing: string[];
}

async function existingIndexes(client: Queryable): Promise<Set<string>> {
  const r = await client.query(`SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()`);
  return new Set(r.rows.map((row: { indexname: string }) => row.indexname));
}

/** Which index switches are applied right now, read from pg_indexes. */
export async function indexState(client: Queryable): Promise<Record<IndexSwitchId, IndexSwitchState>> {
  const existing = await existingIndexes(client);
  const out = {} as Record<IndexSwitchId, IndexSwitchState>;
  for (const s of indexSwitches()) {
    const names = s.migrations.flatMap((m) => m.indexes.map((i) => i.name));
    const present = names.filter((n) => existing.has(n));
    const missing = names.filter((n) => !existing.has(n));
    out[s.id] = { id: s.id, applied: missing.length === 0, present, missing };
  }
  return out;
}

export interface IndexSwitchChange {
  id: IndexSwitchId;
  direction: 'up' | 'down';
  migrations: string[];
  /** Indexes created (up) or dropped (down). */
  indexes: string[];
  durationMs: number;
}

export interface ApplyIndexSwitchesResult {
  changes: IndexSwitchChange[];
  analyzed: string[];
  analyzeMs: number;
  totalMs: number;
}

/**
 * Brings the database's indexes in line with the switches: up for an index switch that is on and
 * not fully applied, down (in reverse order) for one that is off and partly or fully applied.
 * Switches missing from `switches` are left as they are. Then ANALYZEs every table it touched, so
 * the planner sees the new indexes' statistics (expression indexes carry their own).
 */
export async function applyIndexSwitches(client: Queryable, switches: Partial<Switches>): Promise<ApplyIndexSwitchesResult> {
  const started = performance.now();
  const state = await indexState(client);
  const changes: IndexSwitchChange[] = [];
  const tables = new Set<string>();
  for (const s of indexSwitches()) {
    const wanted = switches[s.id as SwitchId];
    if (wanted === undefined) continue;
    const current = state[s.id];
    const needsUp = wanted && !current.applied;
    const needsDown = !wanted && current.present.length > 0;
    if (!needsUp && !needsDown) continue;
    const t0 = performance.now();
    const ordered = needsUp ? s.migrations : [...s.migrations].reverse();
    for (const m of ordered) {
      await client.query(needsUp ? m.up : m.down);
      for (const i of m.indexes) tables.add(i.table);
    }
    changes.push({
      id: s.id,
      direction: needsUp ? 'up' : 'down',
      migrations: ordered.map((m) => m.id),
      indexes: needsUp ? current.missing : current.present,
      durationMs: performance.now() - t0,
    });
  }
  const t1 = performance.now();
  const analyzed = [...tables].sort();
  for (const t of analyzed) await client.query(`ANALYZE ${quoteIdent(t)}`);
  return { changes, analyzed, analyzeMs: performance.now() - t1, totalMs: performance.now() - started };
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
