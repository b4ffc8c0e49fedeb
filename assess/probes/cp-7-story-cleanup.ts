import { Redis } from 'ioredis';
import type pg from 'pg';
import { cleanupExpiredStories, STORY_CLEANUP_BATCH, type StoryCleanupResult } from '../../reference-system/index.ts';
import { switchesFor } from '../../core/index.ts';
import type { ClaimProbe } from '../probe.ts';
import type { AssessContext } from '../context.ts';
import { fmtMs } from '../measure.ts';
import { fact, judged, notRun, unmeasured, type ProbeResult } from '../verdict.ts';
import { planNodes } from './lib.ts';

export interface Cp7Measurement {
  expired: number;
  batched: StoryCleanupResult;
  single: StoryCleanupResult;
  /** Two batched runs started at once: how many were skipped because the other held the lock. */
  concurrentSkipped: number;
  indexUsedWith: boolean;
  indexUsedWithout: boolean;
}

export function judgeCp7(m: Cp7Measurement): ProbeResult {
  const perBatch = m.batched.batches > 0 ? m.batched.deletedRows / m.batched.batches : 0;
  return judged(
    'CP-7',
    `the platform's cleanup (cleanupExpiredStories) on the seeded stories, each run in a transaction rolled back afterwards: story-cleanup-batched on, then off; two batched runs at once; EXPLAIN of the batch query with idx-stories-expires off/on`,
    `${m.expired} expired stories: batched ${m.batched.deletedRows} rows in ${m.batched.batches} batch(es) (${fmtMs(m.batched.durationMs)}), single statement ${m.single.deletedRows} rows (${fmtMs(m.single.durationMs)}); ${m.concurrentSkipped} of 2 concurrent runs skipped by the lock; expires_at index ${m.indexUsedWithout ? 'used' : 'not used'} without the switch, ${m.indexUsedWith ? 'used' : 'not used'} with it`,
    [
      fact('deletes in batches of 1,000', m.expired > 0 ? m.batched.deletedRows === m.expired && perBatch <= STORY_CLEANUP_BATCH && m.batched.batches === Math.floor(m.expired / STORY_CLEANUP_BATCH) + 1 : undefined, `${m.batched.deletedRows} rows in ${m.batched.batches} batch(es)`),
      fact('under a distributed lock (one of two concurrent runs skipped)', m.concurrentSkipped === 1, `${m.concurrentSkipped} skipped`),
      fact('with an index on expires_at (the batch query reads it)', m.indexUsedWith && !m.indexUsedWithout, `${m.indexUsedWithout ? 'index' : 'no index'} -> ${m.indexUsedWith ? 'index' : 'no index'}`),
      unmeasured('every 15 min', 'the schedule is the chat instances\' timer; observing it takes 15 minutes'),
    ],
    { expired: m.expired, batchedRows: m.batched.deletedRows, batches: m.batched.batches, batchedMs: m.batched.durationMs, singleMs: m.single.durationMs, concurrentSkipped: m.concurrentSkipped },
  );
}

/** A Db over one client inside a transaction the caller rolls back. */
const txDb = (client: pg.PoolClient) => ({
  query: async <T>(_name: string, sql: string, params: unknown[] = []) => (await client.query(sql, params)).rows as T[],
});

async function inRolledBack<T>(ctx: AssessContext, fn: (db: ReturnType<typeof txDb>) => Promise<T>): Promise<T> {
  const client = await ctx.db.connect();
  try {
    await client.query('BEGIN');
    return await fn(txDb(client));
  } finally {
    await client.query('ROLLBACK').catch(() => undefined);
    client.release();
  }
}

/** CP-7: batches, lock and index of the expired-story cleanup, without deleting the data. */
export const cp7StoryCleanup: ClaimProbe = {
  id: 'cp-7-story-cleanup',
  claimIds: ['CP-7'],
  description: 'runs the story cleanup batched and unbatched in rolled-back transactions, two at once for the lock, and plans its batch query with and without the index',
  profiles: ['smoke', 'full'],
  async run(ctx) {
    const expired = Number((await ctx.db.query<{ n: string }>('SELECT count(*) AS n FROM stories WHERE expires_at < now()')).rows[0]!.n);
    if (expired === 0) return [notRun('CP-7', 'no expired story in the data (an earlier cleanup ran)')];
    const redis = new Redis(ctx.stack.urls.redis, { maxRetriesPerRequest: 1 });
    const redisPrefix = `brink:assess-cp7-${Date.now().toString(36)}:`;
    try {
      const deps = (db: ReturnType<typeof txDb>, batched: boolean) => ({ db, redis, redisPrefix, switches: { ...switchesFor('optimized'), 'story-cleanup-batched': batched } });
      const batched = await inRolledBack(ctx, (db) => cleanupExpiredStories(deps(db, true)));
      const single = await inRolledBack(ctx, (db) => cleanupExpiredStories(deps(db, false)));
      // Two instances at once: both transactions open first, then both runs start in the same tick.
      const both = await inRolledBack(ctx, (a) => inRolledBack(ctx, (b) => Promise.all([cleanupExpiredStories(deps(a, true)), cleanupExpiredStories(deps(b, true))])));
      const batchSql = 'SELECT id FROM stories WHERE expires_at < now() LIMIT $1';
      const uses = (nodes: { 'Index Name'?: string }[]) => nodes.some((x) => x['Index Name'] === 'stories_expires_at_idx');
      const indexUsedWithout = await ctx.withSwitches({ 'idx-stories-expires': false }, async () => uses(await planNodes(ctx, batchSql, [STORY_CLEANUP_BATCH])));
      const indexUsedWith = await ctx.withSwitches({ 'idx-stories-expires': true }, async () => uses(await planNodes(ctx, batchSql, [STORY_CLEANUP_BATCH])));
      return [judgeCp7({ expired, batched, single, concurrentSkipped: both.filter((r) => r.skipped === 'locked').length, indexUsedWith, indexUsedWithout })];
    } finally {
      redis.disconnect();
    }
  },
};
