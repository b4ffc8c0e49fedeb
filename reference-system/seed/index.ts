/**
 * `seed(databaseUrl, { scale, seed })`: replaces the platform's data with a deterministic dataset
 * of the shapes the assessments talk about (power-law follows, users with 10,000 and 100,000
 * posts, heavy conversations, soft-deleted rows, searchable text, expired stories), loaded with
 * COPY. Emits progress events; never prints. Connect straight to Postgres, not PgBouncer: COPY
 * and DDL in one long transaction.
 */
import { hash } from '@node-rs/argon2';
import pg from 'pg';
import { invalidInput } from '../../core/index.ts';
import { applyBaselineSchema, quoteIdent } from '../../sql-audit/index.ts';
import { readDatasetInfo, writeDatasetInfo, type DatasetInfo } from './dataset-info.ts';
import { DatasetGenerator, type DatasetPlan, type SeededTable } from './generate.ts';
import { PLATFORM_TABLES, copyTable, dropConstraint, keyConstraints, resetSequences, restoreConstraint, secondaryIndexes } from './load.ts';
import { rngFor } from './prng.ts';
import { SCALES, SCALE_NAMES, parseScale, type ScaleName } from './scales.ts';
import { searchTerms } from './text.ts';

export { readDatasetInfo, writeDatasetInfo, type DatasetInfo } from './dataset-info.ts';
export { SCALES, SCALE_NAMES, parseScale, type ScaleName, type ScaleSpec } from './scales.ts';
export { searchTerms, type SearchTerms } from './text.ts';
export { datasetChecksums } from './checksum.ts';

/** The password of every seeded user (user<N> / user<N>@example.test). */
export const SEEDED_PASSWORD = 'brink-seeded-password';

export interface SeedOptions {
  scale: ScaleName;
  /** 0 .. 2^32-1; the same seed (and anchor) gives the same rows. */
  seed: number;
  /** Timestamps are laid out relative to this instant; default now (stories straddle it). */
  anchor?: Date;
}

export type SeedEvent =
  /** The loading connection's server process, so a benchmark can read its CPU time. */
  | { type: 'connected'; backendPid: number; elapsedMs: number }
  | { type: 'phase'; phase: 'schema' | 'prepare' | 'copy' | 'indexes' | 'analyze' | 'done'; elapsedMs: number }
  | { type: 'table-progress'; table: SeededTable; rows: number; expectedRows: number; elapsedMs: number }
  | { type: 'table-done'; table: SeededTable; rows: number; durationMs: number }
  /** A key, foreign key or index rebuilt after the load. */
  | { type: 'index-done'; index: string; table: string; durationMs: number };

export interface TableFigure {
  table: SeededTable;
  rows: number;
  durationMs: number;
  rowsPerSec: number;
}

export interface SeedResult {
  info: DatasetInfo;
  tables: TableFigure[];
  copyMs: number;
  indexMs: number;
  /** VACUUM (ANALYZE) and CHECKPOINT after the load (the work autovacuum would otherwise do under the next test). */
  analyzeMs: number;
  totalMs: number;
  /** Constraints and indexes dropped before COPY and rebuilt after it. */
  rebuiltIndexes: string[];
}

const PROGRESS_EVERY_MS = 500;

export function validateSeedOptions(opts: SeedOptions): SeedOptions {
  parseScale(opts.scale);
  if (!Number.isInteger(opts.seed) || opts.seed < 0 || opts.seed > 0xffffffff) {
    throw invalidInput(`seed ${String(opts.seed)} is not valid; expected an integer from 0 to 4294967295`);
  }
  return opts;
}

/** The argon2 PHC string of SEEDED_PASSWORD, computed once per seeding, salted from the seed. */
export async function seededPasswordHash(seed: number): Promise<string> {
  const rng = rngFor(seed, 'password-salt');
  const salt = Uint8Array.from({ length: 16 }, () => rng.int(256));
  return hash(SEEDED_PASSWORD, { salt });
}

export async function seed(databaseUrl: string, options: SeedOptions, onEvent: (e: SeedEvent) => void = () => {}): Promise<SeedResult> {
  const { scale, seed: seedValue } = validateSeedOptions(options);
  const started = performance.now();
  const elapsed = () => performance.now() - started;
  const spec = SCALES[scale];
  const anchorMs = Math.floor((options.anchor ?? new Date()).getTime() / 1000) * 1000;
  const plan: DatasetPlan = { scale, spec, seed: seedValue, anchorMs, passwordHash: await seededPasswordHash(seedValue) };
  const gen = new DatasetGenerator(plan);

  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'brink-seed' });
  await client.connect();
  try {
    const pid = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    onEvent({ type: 'connected', backendPid: pid.rows[0]!.pid, elapsedMs: elapsed() });
    onEvent({ type: 'phase', phase: 'schema', elapsedMs: elapsed() });
    await applyBaselineSchema(client);

    onEvent({ type: 'phase', phase: 'prepare', elapsedMs: elapsed() });
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

    onEvent({ type: 'phase', phase: 'copy', elapsedMs: elapsed() });
    const copyStarted = performance.now();
    const tables: TableFigure[] = [];
    const load = async (table: SeededTable, expectedRows: number, chunks: () => Iterable<Buffer>) => {
      const t0 = performance.now();
      let lastEmit = 0;
      const rows = await copyTable(client, table, chunks(), (n) => {
        const now = performance.now();
        if (now - lastEmit < PROGRESS_EVERY_MS) return;
        lastEmit = now;
        onEvent({ type: 'table-progress', table, rows: n, expectedRows, elapsedMs: elapsed() });
      });
      const durationMs = performance.now() - t0;
      tables.push({ table, rows, durationMs, rowsPerSec: rows / Math.max(durationMs / 1000, 1e-9) });
      onEvent({ type: 'table-done', table, rows, durationMs });
    };
    await load('users', spec.users, () => gen.users());
    await load('follows', spec.users * spec.meanFollows, () => gen.followRows());
    await load('conversations', spec.conversations, () => gen.conversationRows());
    await load('conversation_members', spec.conversations * 2, () => gen.conversationMemberRows());
    await load('stories', spec.stories, () => gen.storyRows());
    await load('posts', gen.posts, () => gen.postRows());
    await load('comments', spec.comments, () => gen.commentRows());
    await load('messages', gen.messages, () => gen.messageRows());
    const copyMs = performance.now() - copyStarted;

    onEvent({ type: 'phase', phase: 'indexes', elapsedMs: elapsed() });
    const indexStarted = performance.now();
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
    const indexMs = performance.now() - indexStarted;
    await resetSequences(client, PLATFORM_TABLES);

    const expired = await client.query<{ n: string }>(`SELECT count(*) AS n FROM stories WHERE expires_at < $1`, [new Date(anchorMs)]);
    const rowsOf = (t: SeededTable) => tables.find((f) => f.table === t)?.rows ?? 0;
    const info: DatasetInfo = {
      scale,
      seed: seedValue,
      users: rowsOf('users'),
      follows: rowsOf('follows'),
      posts: rowsOf('posts'),
      comments: rowsOf('comments'),
      conversations: rowsOf('conversations'),
      messages: rowsOf('messages'),
      stories: rowsOf('stories'),
      expiredStories: Number(expired.rows[0]?.n ?? 0),
      heavyUsers: gen.heavyUserIds.map((id, i) => ({ id, posts: spec.heavyUserPosts[i]!, deletedPosts: gen.heavyUserDeletedPosts[i]! })),
      heavyConversations: gen.heavyConversationIds.map((id, i) => ({ id, messages: spec.heavyConversationMessages[i]!, memberIds: gen.memberIds(id) })),
      sampleUserIds: gen.sampleUserIds(),
      searchTerms,
      anchorAt: new Date(anchorMs).toISOString(),
      seededAt: new Date().toISOString(),
    };
    await writeDatasetInfo(client, info);
    await client.query('COMMIT');

    onEvent({ type: 'phase', phase: 'analyze', elapsedMs: elapsed() });
    const analyzeStarted = performance.now();
    // VACUUM (ANALYZE), not just ANALYZE: the bulk insert leaves every table past autovacuum's
    // insert threshold, and issue 14 measured that autovacuum pass landing on all tables ~17 s
    // after "done", inside the first load test. The CHECKPOINT likewise writes the load's dirty
    // pages now instead of in the middle of the next run.
    await client.query(`VACUUM (ANALYZE) ${[...PLATFORM_TABLES, 'dataset_info'].map(quoteIdent).join(', ')}`);
    await client.query('CHECKPOINT');
    const analyzeMs = performance.now() - analyzeStarted;
    onEvent({ type: 'phase', phase: 'done', elapsedMs: elapsed() });
    return { info, tables, copyMs, indexMs, analyzeMs, totalMs: elapsed(), rebuiltIndexes: [...constraints.map((c) => c.name), ...indexes.map((i) => i.name)] };
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {});
    throw e;
  } finally {
    await client.end().catch(() => {});
  }
}
