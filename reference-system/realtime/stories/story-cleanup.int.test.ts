import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Redis } from 'ioredis';
import { switchesFor } from '../../../core/index.ts';
import { runStoryCleanup } from '../index.ts';
import { realtimeNames } from '../options.ts';
import { openFixture, type Fixture } from '../int-test-fixture.ts';

const stack = inject('stack');

describe('expired-story cleanup', () => {
  let f: Fixture;
  let owner: number;
  let redis: Redis;

  beforeAll(async () => {
    f = await openFixture(stack, 'stories', 'optimized');
    [owner] = (await f.users(1)) as [number];
    redis = new Redis(stack.urls.redis);
    f.own(() => redis.quit());
  });
  afterAll(async () => f?.close());

  async function seed(expired: number, live: number): Promise<void> {
    await f.pool.query('TRUNCATE stories');
    await f.pool.query(
      `INSERT INTO stories (user_id, media_url, expires_at)
       SELECT $1::bigint, 'https://cdn.example/' || g, CASE WHEN g <= $2::int THEN now() - interval '1 hour' ELSE now() + interval '23 hours' END
       FROM generate_series(1, $2::int + $3::int) AS g`,
      [owner, expired, live],
    );
  }
  const remaining = async () => (await f.pool.query<{ expired: number; live: number }>(`SELECT count(*) FILTER (WHERE expires_at < now())::int AS expired, count(*) FILTER (WHERE expires_at >= now())::int AS live FROM stories`)).rows[0]!;

  it('deletes exactly the expired stories in batches of 1,000 with story-cleanup-batched on', async () => {
    await seed(2_500, 300);
    const r = await runStoryCleanup(f.options({ switches: switchesFor('optimized') }));
    expect(r).toMatchObject({ mode: 'batched', deletedRows: 2_500, batches: 3 });
    expect(r.skipped).toBeUndefined();
    expect(await remaining()).toEqual({ expired: 0, live: 300 });
  });

  it('does nothing while another instance holds the lock', async () => {
    await seed(10, 5);
    const lockKey = `${realtimeNames(f.db.pgbouncerUrl, f.namespace).redisPrefix}lock:story-cleanup`;
    await redis.set(lockKey, 'someone-else', 'PX', 10_000);
    try {
      const r = await runStoryCleanup(f.options({ switches: switchesFor('optimized') }));
      expect(r).toMatchObject({ mode: 'batched', deletedRows: 0, batches: 0, skipped: 'locked' });
      expect(await remaining()).toEqual({ expired: 10, live: 5 });
      // Our run must not have released someone else's lock.
      expect(await redis.get(lockKey)).toBe('someone-else');
    } finally {
      await redis.del(lockKey);
    }
  });

  it('deletes everything expired in one statement with it off, as found', async () => {
    await seed(1_200, 40);
    const r = await runStoryCleanup(f.options({ switches: switchesFor('baseline') }));
    expect(r).toMatchObject({ mode: 'single', deletedRows: 1_200, batches: 1 });
    expect(await remaining()).toEqual({ expired: 0, live: 40 });
  });
});
