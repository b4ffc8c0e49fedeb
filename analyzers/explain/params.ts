/**
 * Resolves a query's parameter recipes (sql-audit/queries/types.ts) into bind values, reading
 * dataset_info (written by the seed: heavy users and conversations) and running the recipes'
 * read-only SELECTs in rolled-back transactions. Never interpolates: values are bind parameters.
 */
import type pg from 'pg';
import type { ParamPick, ParamSpec } from '../../sql-audit/index.ts';
import { describePgError, inRolledBackTx } from '../db.ts';

export interface DatasetInfo {
  scale?: string;
  seed?: number;
  heavyUsers?: Array<{ id: number | string; posts: number }>;
  heavyConversations?: Array<{ id: number | string; messages: number }>;
  [other: string]: unknown;
}

export interface ResolvedParams {
  values: unknown[];
  /** How each value was picked, e.g. "user_id = 42 (dataset_info heavyUsers, 100000 posts)". */
  sources: string[];
}

// Without dataset_info, the heaviest user/conversation is found in the data itself.
const HEAVY_SQL = {
  'heavy-user': 'SELECT user_id FROM posts GROUP BY user_id ORDER BY count(*) DESC, user_id LIMIT 1',
  'heavy-conversation': 'SELECT conversation_id FROM messages GROUP BY conversation_id ORDER BY count(*) DESC, conversation_id LIMIT 1',
} as const;

/** Reads dataset_info's 'dataset' row; undefined when the table or row is absent (not a seeded database). */
export async function readDatasetInfo(client: pg.Client, timeoutMs: number): Promise<DatasetInfo | undefined> {
  return inRolledBackTx(client, { readOnly: true, timeoutMs }, async () => {
    const exists = await client.query<{ t: string | null }>("SELECT to_regclass('dataset_info')::text AS t");
    if (!exists.rows[0]?.t) return undefined;
    const r = await client.query<{ value: DatasetInfo }>("SELECT value FROM dataset_info WHERE key = 'dataset'");
    return r.rows[0]?.value;
  });
}

/** The heavy entry of dataset_info for a pick, with its size, or undefined. */
export function heavyFromDataset(info: DatasetInfo | undefined, pick: Extract<ParamPick, { kind: 'heavy-user' | 'heavy-conversation' }>): { id: string; size: number; label: string } | undefined {
  const list = pick.kind === 'heavy-user'
    ? (info?.heavyUsers ?? []).map((u) => ({ id: String(u.id), size: Number(u.posts), label: 'posts' }))
    : (info?.heavyConversations ?? []).map((c) => ({ id: String(c.id), size: Number(c.messages), label: 'messages' }));
  if (list.length === 0) return undefined;
  const sorted = [...list].sort((a, b) => a.size - b.size);
  return pick.which === 'largest' ? sorted[sorted.length - 1] : sorted[0];
}

export class ParamError extends Error {}

/**
 * Picked values by recipe (SQL text + arguments), shared across the queries of one audit (and
 * between `audit sql` and `audit indexes` in one process): on a medium dataset a pick such as
 * "the follower with most follows" is a GROUP BY over a million rows, worth running once.
 */
export type ParamCache = Map<string, Promise<unknown>>;

async function selectOne(client: pg.Client, sql: string, args: unknown[], timeoutMs: number, cache?: ParamCache): Promise<unknown> {
  const key = JSON.stringify([sql, args]);
  const cached = cache?.get(key);
  if (cached) return cached;
  const p = selectOneUncached(client, sql, args, timeoutMs);
  cache?.set(key, p);
  return p;
}

async function selectOneUncached(client: pg.Client, sql: string, args: unknown[], timeoutMs: number): Promise<unknown> {
  try {
    return await inRolledBackTx(client, { readOnly: true, timeoutMs }, async () => {
      const r = await client.query({ text: sql, values: args, rowMode: 'array' });
      return (r.rows[0] as unknown[] | undefined)?.[0] ?? undefined;
    });
  } catch (e) {
    throw new ParamError(`${describePgError(e, timeoutMs).message} (while running: ${sql.replace(/\s+/g, ' ')})`);
  }
}

async function resolvePick(client: pg.Client, pick: ParamPick, spec: ParamSpec, byName: Map<string, unknown>, info: DatasetInfo | undefined, timeoutMs: number, cache?: ParamCache): Promise<{ value: unknown; source: string } | undefined> {
  switch (pick.kind) {
    case 'literal':
      return { value: pick.value, source: 'literal' };
    case 'heavy-user':
    case 'heavy-conversation': {
      const heavy = heavyFromDataset(info, pick);
      if (heavy) return { value: heavy.id, source: `dataset_info ${pick.kind === 'heavy-user' ? 'heavyUsers' : 'heavyConversations'}, ${heavy.size} ${heavy.label}` };
      const value = await selectOne(client, HEAVY_SQL[pick.kind], [], timeoutMs, cache);
      return value === undefined ? undefined : { value, source: `no dataset_info: the ${pick.kind.slice(6)} with the most rows` };
    }
    case 'sql': {
      const args = (pick.args ?? []).map((name) => {
        if (!byName.has(name)) throw new ParamError(`parameter ${spec.name} needs ${name}, which is not resolved before it`);
        return byName.get(name);
      });
      const value = await selectOne(client, pick.sql, args, timeoutMs, cache);
      return value === undefined || value === null ? undefined : { value, source: 'picked from the data' };
    }
  }
}

export async function resolveParams(client: pg.Client, params: readonly ParamSpec[], info: DatasetInfo | undefined, timeoutMs: number, cache?: ParamCache): Promise<ResolvedParams> {
  const byName = new Map<string, unknown>();
  const values: unknown[] = [];
  const sources: string[] = [];
  for (const spec of params) {
    let got = await resolvePick(client, spec.pick, spec, byName, info, timeoutMs, cache);
    if (!got && spec.fallback) {
      got = await resolvePick(client, spec.fallback, spec, byName, info, timeoutMs, cache);
      if (got) got.source = `fallback ${got.source} (the data has no rows for the usual pick)`;
    }
    if (!got) throw new ParamError(`no value for parameter ${spec.name}: its recipe found no rows (empty table?) and it has no fallback`);
    byName.set(spec.name, got.value);
    values.push(got.value);
    sources.push(`${spec.name} = ${formatValue(got.value)} (${got.source})`);
  }
  return { values, sources };
}

export function formatValue(v: unknown): string {
  if (v instanceof Date) return v.toISOString();
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
