/**
 * The steps of one seeding, all on the one loading connection and (up to the dataset info) in its
 * one transaction: empty the tables and drop their keys and indexes, COPY every table, rebuild,
 * describe the dataset, then vacuum.
 */
import type pg from 'pg';
import { quoteIdent } from '../../sql-audit/index.ts';
import type { DatasetInfo } from './dataset-info.ts';
import type { DatasetGenerator, DatasetPlan, SeededTable } from './generate.ts';
import type { SeedEvent, TableFigure } from './events.ts';
import { PLATFORM_TABLES, copyTable, dropConstraint, keyConstraints, restoreConstraint, secondaryIndexes, type DroppedConstraint, type DroppedIndex } from './load.ts';
import { searchTerms } from './text.ts';

const PROGRESS_EVERY_MS = 500;

export interface Progress {
  onEvent: (e: SeedEvent) => void;
  /** Milliseconds since seeding started. */
  elapsed: () => number;
}

export interface Dropped {
  indexes: DroppedIndex[];
  constraints: DroppedConstraint[];
}

/** Opens the load's transaction, empties the tables and drops their keys and secondary indexes (COPY is faster without). */
export async function prepareLoad(client: pg.ClientBase): Promise<Dropped> {
  await client.query('BEGIN');
  // A running platform holding locks must not make seeding hang forever.
  await client.query(`SET LOCAL lock_timeout = '30s'`);
  await client.query(`SET LOCAL maintenance_work_mem = '512MB'`);
  await client.query(`SET LOCAL synchronous_commit = off`);
  const indexes = await secondaryIndexes(client, PLATFORM_TABLES);
  const constraints = await keyConstraints(client, PLATFORM_TABLES);
  await client.query(`TRUNCATE ${PLATFORM_TABLES.map(quoteIdent).join(', ')} RESTART IDENTITY`);
  for (const c of constraints) await dropConstraint(client, c);
  for (const ix of indexes) await client.query(`DROP INDEX ${quoteIdent(ix.name)}`);
  return { indexes, constraints };
}

/** COPYs every table, in an order where referenced rows come first. */
export async function loadTables(client: pg.ClientBase, gen: DatasetGenerator, progress: Progress): Promise<{ tables: TableFigure[]; copyMs: number }> {
  const { spec } = gen.plan;
  const started = performance.now();
  const tables: TableFigure[] = [];
  const load = async (table: SeededTable, expectedRows: number, chunks: () => Iterable<Buffer>) => tables.push(await loadTable(client, table, expectedRows, chunks(), progress));
  await load('users', spec.users, () => gen.users());
  await load('follows', spec.users * spec.meanFollows, () => gen.followRows());
  await load('conversations', spec.conversations, () => gen.conversationRows());
  await load('conversation_members', spec.conversations * 2, () => gen.conversationMemberRows());
  await load('stories', spec.stories, () => gen.storyRows());
  await load('posts', gen.posts, () => gen.postRows());
  await load('comments', spec.comments, () => gen.commentRows());
  await load('messages', gen.messages, () => gen.messageRows());
  return { tables, copyMs: performance.now() - started };
}

/** One table's COPY, reporting progress at most every PROGRESS_EVERY_MS. */
async function loadTable(client: pg.ClientBase, table: SeededTable, expectedRows: number, chunks: Iterable<Buffer>, { onEvent, elapsed }: Progress): Promise<TableFigure> {
  const t0 = performance.now();
  let lastEmit = 0;
  const rows = await copyTable(client, table, chunks, (n) => {
    const now = performance.now();
    if (now - lastEmit < PROGRESS_EVERY_MS) return;
    lastEmit = now;
    onEvent({ type: 'table-progress', table, rows: n, expectedRows, elapsedMs: elapsed() });
  });
  const durationMs = performance.now() - t0;
  onEvent({ type: 'table-done', table, rows, durationMs });
  return { table, rows, durationMs, rowsPerSec: rows / Math.max(durationMs / 1000, 1e-9) };
}

/** Restores the keys, then the indexes; returns the time it took. */
export async function rebuildIndexes(client: pg.ClientBase, { constraints, indexes }: Dropped, onEvent: (e: SeedEvent) => void): Promise<number> {
  const started = performance.now();
  // keyConstraints lists foreign keys first (to drop them first); reversed, keys come back before
  // the foreign keys that reference them.
  for (const c of [...constraints].reverse()) {
    const t0 = performance.now();
    await restoreConstraint(client, c);
    onEvent({ type: 'index-done', index: c.name, table: c.table, durationMs: performance.now() - t0 });
  }
  for (const ix of indexes) {
    const t0 = performance.now();
    await client.query(ix.definition);
    onEvent({ type: 'index-done', index: ix.name, table: ix.table, durationMs: performance.now() - t0 });
  }
  return performance.now() - started;
}

export async function countExpiredStories(client: pg.ClientBase, anchorMs: number): Promise<number> {
  const expired = await client.query<{ n: string }>(`SELECT count(*) AS n FROM stories WHERE expires_at < $1`, [new Date(anchorMs)]);
  return Number(expired.rows[0]?.n ?? 0);
}

type GeneratedFacts = Pick<DatasetGenerator, 'heavyUserIds' | 'heavyUserDeletedPosts' | 'heavyConversationIds' | 'memberIds' | 'sampleUserIds'>;

/** What the loaded dataset holds: the rows COPY reported, and the generator's heavy users and conversations. */
export function datasetInfoOf(plan: Pick<DatasetPlan, 'scale' | 'spec' | 'seed' | 'anchorMs'>, gen: GeneratedFacts, tables: readonly TableFigure[], expiredStories: number, seededAt: Date): DatasetInfo {
  const rowsOf = (t: SeededTable) => tables.find((f) => f.table === t)?.rows ?? 0;
  const { spec } = plan;
  return {
    scale: plan.scale,
    seed: plan.seed,
    users: rowsOf('users'),
    follows: rowsOf('follows'),
    posts: rowsOf('posts'),
    comments: rowsOf('comments'),
    conversations: rowsOf('conversations'),
    messages: rowsOf('messages'),
    stories: rowsOf('stories'),
    expiredStories,
    heavyUsers: gen.heavyUserIds.map((id, i) => ({ id, posts: spec.heavyUserPosts[i]!, deletedPosts: gen.heavyUserDeletedPosts[i]! })),
    heavyConversations: gen.heavyConversationIds.map((id, i) => ({ id, messages: spec.heavyConversationMessages[i]!, memberIds: gen.memberIds(id) })),
    sampleUserIds: gen.sampleUserIds(),
    searchTerms,
    anchorAt: new Date(plan.anchorMs).toISOString(),
    seededAt: seededAt.toISOString(),
  };
}

/** Returns the time it took. */
export async function vacuumAndCheckpoint(client: pg.ClientBase): Promise<number> {
  const started = performance.now();
  // VACUUM (ANALYZE), not just ANALYZE: the bulk insert leaves every table past autovacuum's
  // insert threshold, and issue 14 measured that autovacuum pass landing on all tables ~17 s
  // after "done", inside the first load test. The CHECKPOINT likewise writes the load's dirty
  // pages now instead of in the middle of the next run.
  await client.query(`VACUUM (ANALYZE) ${[...PLATFORM_TABLES, 'dataset_info'].map(quoteIdent).join(', ')}`);
  await client.query('CHECKPOINT');
  return performance.now() - started;
}
