/**
 * Expired-story cleanup (CP-7). `story-cleanup-batched` on: under a Redis lock (one instance at a
 * time), delete 1,000 expired stories per statement until none are left, so no statement holds
 * locks on millions of rows or bloats one transaction; with the idx-stories-expires index each
 * batch finds its rows without scanning the table. Off, as found: every instance runs one DELETE of
 * everything expired, all at once.
 */
import type { Redis } from 'ioredis';
import type { Db } from '../../shared/context.ts';
import type { Switches } from '../../../core/index.ts';
import { tryLock } from '../redis-lock.ts';
import { resolveOptions, STORY_CLEANUP_BATCH, type RealtimeOptions } from '../options.ts';
import { openDb, openRedis, quitRedis } from '../infra.ts';
import { createLogger } from '../../shared/logger.ts';
import { createMetricsRegistry } from '../../shared/metrics.ts';

export { STORY_CLEANUP_BATCH };
/** Longer than one batch can take; refreshed after every batch. */
export const STORY_LOCK_TTL_MS = 60_000;
/** A bound on one run: 10,000 batches = 10 million rows. */
const MAX_BATCHES = 10_000;

export interface StoryCleanupDeps {
  db: Pick<Db, 'query'>;
  redis: Redis;
  switches: Readonly<Switches>;
  /** Redis key prefix (per database) for the lock. */
  redisPrefix: string;
  batchSize?: number;
}

export interface StoryCleanupResult {
  mode: 'batched' | 'single';
  deletedRows: number;
  batches: number;
  durationMs: number;
  /** 'locked' when another instance holds the lock and this run did nothing. */
  skipped?: 'locked';
}

/** One cleanup run with connections the caller owns (chat instances schedule this). */
export async function cleanupExpiredStories(d: StoryCleanupDeps): Promise<StoryCleanupResult> {
  const started = performance.now();
  if (!d.switches['story-cleanup-batched']) {
    const rows = await d.db.query<{ n: string }>('expired_stories_cleanup', 'WITH gone AS (DELETE FROM stories WHERE expires_at < now() RETURNING 1) SELECT count(*) AS n FROM gone');
    return { mode: 'single', deletedRows: Number(rows[0]?.n ?? 0), batches: 1, durationMs: performance.now() - started };
  }
  const batchSize = d.batchSize ?? STORY_CLEANUP_BATCH;
  const lock = await tryLock(d.redis, `${d.redisPrefix}lock:story-cleanup`, STORY_LOCK_TTL_MS);
  if (!lock) return { mode: 'batched', deletedRows: 0, batches: 0, durationMs: performance.now() - started, skipped: 'locked' };
  let deletedRows = 0;
  let batches = 0;
  try {
    for (; batches < MAX_BATCHES; ) {
      const rows = await d.db.query<{ n: string }>(
        'expired_stories_cleanup_batch',
        `WITH gone AS (
           DELETE FROM stories WHERE id IN (SELECT id FROM stories WHERE expires_at < now() LIMIT $1 FOR UPDATE SKIP LOCKED)
           RETURNING 1)
         SELECT count(*) AS n FROM gone`,
        [batchSize],
      );
      const n = Number(rows[0]?.n ?? 0);
      batches++;
      deletedRows += n;
      if (n < batchSize) break;
      if (!(await lock.extend(STORY_LOCK_TTL_MS))) break; // lost the lock: let its new holder finish
    }
  } finally {
    await lock.release().catch(() => false);
  }
  return { mode: 'batched', deletedRows, batches, durationMs: performance.now() - started };
}

/** One cleanup run on its own connections (the CLI, experiments): opens, runs, closes. */
export async function runStoryCleanup(input: RealtimeOptions): Promise<StoryCleanupResult> {
  const o = resolveOptions(input, 'story cleanup');
  const log = createLogger({ name: 'story-cleanup', level: o.tuning.logLevel });
  const dbProvider = openDb(o.databaseUrl, 'stories', o.switches, createMetricsRegistry(), log, 2);
  const redis = openRedis(o.redisUrl, 'story-cleanup', log);
  try {
    return await cleanupExpiredStories({ db: dbProvider.forModule('stories'), redis, switches: o.switches, redisPrefix: o.names.redisPrefix });
  } finally {
    await quitRedis(redis);
    await dbProvider.close();
  }
}
