import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { Redis } from 'ioredis';
import { deleteByPrefix } from '../../shared/cache.ts';
import { FEED_STAMPEDE, loadWithStampedeLock, lockKeyOf, staleKeyOf, type StampedeSource } from './stampede.ts';

const stack = inject('stack');
let redis: Redis;

beforeAll(() => {
  redis = new Redis(stack.urls.redis, { keyPrefix: 'test:stampede:' });
});
afterAll(async () => {
  await deleteByPrefix(redis, '');
  await redis.quit();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function countingLoader(delayMs: number) {
  let loads = 0;
  return {
    load: async () => {
      loads++;
      await sleep(delayMs);
      return { page: 'fresh', build: loads };
    },
    get loads() {
      return loads;
    },
  };
}

function tally(sources: StampedeSource[]): Record<string, number> {
  return sources.reduce<Record<string, number>>((acc, s) => ({ ...acc, [s]: (acc[s] ?? 0) + 1 }), {});
}

describe('loadWithStampedeLock (real Redis)', () => {
  it('lets exactly one of 50 concurrent misses load; the others get its result', async () => {
    const loader = countingLoader(50);
    const results = await Promise.all(Array.from({ length: 50 }, () => loadWithStampedeLock(redis, 'feed:1:head:20', loader.load)));
    expect(loader.loads).toBe(1);
    expect(results.every((r) => r.value.build === 1)).toBe(true);
    expect(tally(results.map((r) => r.source))).toEqual({ rebuilt: 1, waited: 49 });
    expect(await redis.exists(lockKeyOf('feed:1:head:20'))).toBe(0);
  });

  it('serves the stale copy when the holder does not finish within the wait', async () => {
    const key = 'feed:2:head:20';
    await redis.set(staleKeyOf(key), JSON.stringify({ token: 'old', value: { page: 'stale' } }), 'EX', 60);
    await redis.set(lockKeyOf(key), 'a-holder-that-hangs', 'PX', 5_000);
    const loader = countingLoader(0);
    const t0 = Date.now();
    const r = await loadWithStampedeLock(redis, key, loader.load);
    expect(r).toEqual({ value: { page: 'stale' }, source: 'stale' });
    expect(loader.loads).toBe(0);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(FEED_STAMPEDE.waitMs - 20);
  });

  it('rebuilds without the lock when the holder hangs and there is no stale copy', async () => {
    const key = 'feed:3:head:20';
    await redis.set(lockKeyOf(key), 'a-holder-that-hangs', 'PX', 5_000);
    const loader = countingLoader(0);
    const r = await loadWithStampedeLock(redis, key, loader.load);
    expect(r.source).toBe('rebuilt-without-lock');
    expect(loader.loads).toBe(1);
  });

  it('stops waiting as soon as a holder releases the lock without a result', async () => {
    const key = 'feed:4:head:20';
    await redis.set(lockKeyOf(key), 'a-holder-that-fails', 'PX', 5_000);
    setTimeout(() => void redis.del(lockKeyOf(key)), 40);
    const loader = countingLoader(0);
    const t0 = Date.now();
    // A long wait budget, so returning well inside it can only be the early exit.
    const r = await loadWithStampedeLock(redis, key, loader.load, { ...FEED_STAMPEDE, waitMs: 10_000 });
    expect(r.source).toBe('rebuilt-without-lock');
    expect(Date.now() - t0).toBeLessThan(5_000);
  });

  it('releases the lock when the load fails, so the next caller rebuilds at once', async () => {
    const key = 'feed:5:head:20';
    await expect(loadWithStampedeLock(redis, key, async () => Promise.reject(new Error('db down')))).rejects.toThrow('db down');
    expect(await redis.exists(lockKeyOf(key))).toBe(0);
    const r = await loadWithStampedeLock(redis, key, async () => 'ok');
    expect(r).toEqual({ value: 'ok', source: 'rebuilt' });
  });

  it('rebuilds without the lock when Redis is unreachable, instead of failing the request', async () => {
    const down = new Redis({ port: 1, host: '127.0.0.1', enableOfflineQueue: false, maxRetriesPerRequest: 0, lazyConnect: true, retryStrategy: () => null });
    try {
      const r = await loadWithStampedeLock(down, 'feed:6:head:20', async () => 'from postgres');
      expect(r).toEqual({ value: 'from postgres', source: 'redis-unavailable' });
    } finally {
      down.disconnect();
    }
  });
});
