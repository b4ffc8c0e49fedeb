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
import { applyBaselineSchema } from '../../sql-audit/index.ts';
import { writeDatasetInfo, type DatasetInfo } from './dataset-info.ts';
import { DatasetGenerator, type DatasetPlan } from './generate.ts';
import type { SeedEvent, TableFigure } from './events.ts';
import { PLATFORM_TABLES, resetSequences } from './load.ts';
import { countExpiredStories, datasetInfoOf, loadTables, prepareLoad, rebuildIndexes, vacuumAndCheckpoint } from './load-steps.ts';
import { rngFor } from './prng.ts';
import { SCALES, parseScale, type ScaleName } from './scales.ts';

export { readDatasetInfo, writeDatasetInfo, type DatasetInfo } from './dataset-info.ts';
export { SCALES, SCALE_NAMES, parseScale, type ScaleName, type ScaleSpec } from './scales.ts';
export { searchTerms, type SearchTerms } from './text.ts';
export { datasetChecksums } from './checksum.ts';
export type { SeedEvent, TableFigure } from './events.ts';

/** The password of every seeded user (user<N> / user<N>@example.test). */
export const SEEDED_PASSWORD = 'brink-seeded-password';

export interface SeedOptions {
  scale: ScaleName;
  /** 0 .. 2^32-1; the same seed (and anchor) gives the same rows. */
  seed: number;
  /** Timestamps are laid out relative to this instant; default now (stories straddle it). */
  anchor?: Date;
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
  const phase = (p: Extract<SeedEvent, { type: 'phase' }>['phase']) => onEvent({ type: 'phase', phase: p, elapsedMs: elapsed() });
  const anchorMs = Math.floor((options.anchor ?? new Date()).getTime() / 1000) * 1000;
  const plan: DatasetPlan = { scale, spec: SCALES[scale], seed: seedValue, anchorMs, passwordHash: await seededPasswordHash(seedValue) };
  const gen = new DatasetGenerator(plan);

  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'brink-seed' });
  await client.connect();
  try {
    const pid = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    onEvent({ type: 'connected', backendPid: pid.rows[0]!.pid, elapsedMs: elapsed() });
    phase('schema');
    await applyBaselineSchema(client);
    phase('prepare');
    const dropped = await prepareLoad(client);
    phase('copy');
    const { tables, copyMs } = await loadTables(client, gen, { onEvent, elapsed });
    phase('indexes');
    const indexMs = await rebuildIndexes(client, dropped, onEvent);
    await resetSequences(client, PLATFORM_TABLES);
    const info: DatasetInfo = datasetInfoOf(plan, gen, tables, await countExpiredStories(client, anchorMs), new Date());
    await writeDatasetInfo(client, info);
    await client.query('COMMIT');
    phase('analyze');
    const analyzeMs = await vacuumAndCheckpoint(client);
    phase('done');
    const rebuiltIndexes = [...dropped.constraints.map((c) => c.name), ...dropped.indexes.map((i) => i.name)];
    return { info, tables, copyMs, indexMs, analyzeMs, totalMs: elapsed(), rebuiltIndexes };
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {});
    throw e;
  } finally {
    await client.end().catch(() => {});
  }
}
