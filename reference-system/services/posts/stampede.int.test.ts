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
  it('lets exactly one of 50 concurrent misses in one process load; the others share its flight', async () => {
    const loader = countingLoader(50);
    const results = await Promise.all(Array.from({ length: 50 }, () => loadWithStampedeLock(redis, 'feed:1:head:20', loader.load)));
    expect(loader.loads).toBe(1);
    expect(results.every((r) => r.value.build === 1)).toBe(true);
    expect(tally(results.map((r) => r.source))).toEqual({ rebuilt: 1, shared: 49 });
    expect(await redis.exists(lockKeyOf('feed:1:head:20'))).toBe(0);
  });

  it('lets one of five processes rebuild a slow page while the others wait for it instead of rebuilding', async () => {
    // Five clients stand for five processes. The rebuild takes 600 ms, three times the old
    // 200 ms wait after which every waiter used to rebuild on its own (issue 14).
    const clients = Array.from({ length: 5 }, () => new Redis(stack.urls.redis, { keyPrefix: 'test:stampede:' }));
    try {
      const loader = countingLoader(600);
      const results = await Promise.all(clients.flatMap((c) => Array.from({ length: 10 }, () => loadWithStampedeLock(c, 'feed:7:head:20', loader.load))));
      expect(loader.loads).toBe(1);
      expect(results.every((r) => r.value.build === 1)).toBe(true);
      expect(tally(results.map((r) => r.source))).toEqual({ rebuilt: 1, waited: 4, shared: 45 });
    } finally {
      await Promise.all(clients.map((c) => c.quit()));
    }
  });

  it('answers from the stale copy at once while another caller holds the lock', async () => {
    const key = 'feed:2:head:20';
    await redis.set(staleKeyOf(key), JSON.stringify({ token: 'old', value: { page: 'stale' } }), 'EX', 60);
    await redis.set(lockKeyOf(key), 'a-holder-that-hangs', 'PX', 5_000);
    const loader = countingLoader(0);
    const r = await loadWithStampedeLock(redis, key, loader.load);
    expect(r).toEqual({ value: { page: 'stale' }, source: 'stale' });
    expect(loader.loads).toBe(0);
  });

  it('rebuilds without the lock only when the whole wait budget goes by with no stale copy', async () => {
    const key = 'feed:3:head:20';
    await redis.set(lockKeyOf(key), 'a-holder-that-hangs', 'PX', 5_000);
    const loader = countingLoader(0);
    const r = await loadWithStampedeLock(redis, key, loader.load, { ...FEED_STAMPEDE, waitMs: 300 });
    expect(r.source).toBe('rebuilt-without-lock');
    expect(loader.loads).toBe(1);
  });

  it('takes the lock over when the holder dies (its lock expires) and rebuilds under it', async () => {
    const key = 'feed:8:head:20';
    await redis.set(lockKeyOf(key), 'a-holder-that-died', 'PX', 300);
    const loader = countingLoader(0);
    const r = await loadWithStampedeLock(redis, key, loader.load);
    expect(r.source).toBe('rebuilt');
    expect(loader.loads).toBe(1);
  });

  it('stops waiting as soon as a holder releases the lock without a result, and rebuilds under the lock', async () => {
    const key = 'feed:4:head:20';
    await redis.set(lockKeyOf(key), 'a-holder-that-fails', 'PX', 5_000);
    setTimeout(() => void redis.del(lockKeyOf(key)), 40);
    const loader = countingLoader(0);
    const t0 = Date.now();
    // A long wait budget, so returning well inside it can only be the early exit.
    const r = await loadWithStampedeLock(redis, key, loader.load, { ...FEED_STAMPEDE, waitMs: 10_000 });
    expect(r.source).toBe('rebuilt');
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
