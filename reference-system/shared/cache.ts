/**
 * Cache-aside with two levels: an in-process LRU (short TTL, so other processes' invalidations
 * are seen within seconds) in front of Redis (the real TTL). With the `cache` switch off every
 * lookup is a miss. When Redis fails, the value is loaded from the source and the failure counted
 * (LC-1's "fallback without Redis"): a cache outage slows requests down, it never fails them.
 */
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { Cache } from './context.ts';
import type { Switches } from '../../core/index.ts';
import { ExpiringLru } from './lru.ts';
import { counter } from './metrics.ts';

export interface CacheOptions {
  service: string;
  redis: Redis;
  switches: Readonly<Switches>;
  metrics: Registry;
  log: Logger;
  /** L1 entries live at most this long (and never longer than the key's TTL). */
  l1TtlMs?: number;
  l1MaxEntries?: number;
}

export const DEFAULT_L1_TTL_MS = 2_000;

/** Key family for metric labels: "user:42" -> "user", so label cardinality stays small. */
export function keyFamily(key: string): string {
  const i = key.indexOf(':');
  return i < 0 ? key : key.slice(0, i);
}

/** How long a value stays in L1: the L1 TTL, never longer than the key's own TTL. */
export function l1TtlMsFor(l1TtlMs: number, ttlS: number): number {
  return Math.min(l1TtlMs, ttlS * 1000);
}

/** Redis's EX for a TTL in seconds: whole seconds, at least 1 (EX 0 is an error). */
export function redisTtlS(ttlS: number): number {
  return Math.max(1, Math.round(ttlS));
}

export function createCache(opts: CacheOptions): Cache & { readonly l1: ExpiringLru<unknown> } {
  const l1 = new ExpiringLru<unknown>(opts.l1MaxEntries ?? 10_000);
  const lookups = counter(opts.metrics, {
    name: 'brink_cache_lookups_total',
    help: 'Cache lookups by result: hit_l1, hit_redis, miss, bypass (cache switch off), redis_error (fell back to loading)',
    labelNames: ['service', 'family', 'result'],
  });
  const levels: CacheLevels = {
    opts,
    l1,
    l1TtlMs: opts.l1TtlMs ?? DEFAULT_L1_TTL_MS,
    count: (key, result) => lookups.inc({ service: opts.service, family: keyFamily(key), result }),
    warnRedis: throttledWarn(opts.log),
  };
  const { warnRedis } = levels;
  return {
    l1,
    getOrLoad: (key, ttlS, load) => getOrLoad(levels, key, ttlS, load),
    async invalidate(...keys: string[]) {
      if (keys.length === 0) return;
      for (const k of keys) l1.delete(k);
      try {
        await opts.redis.del(...keys);
      } catch (e) {
        warnRedis(e, keys[0]!);
      }
    },
    async invalidatePrefix(prefix: string) {
      l1.deletePrefix(prefix);
      try {
        await deleteByPrefix(opts.redis, prefix);
      } catch (e) {
        warnRedis(e, prefix);
      }
    },
  };
}

interface CacheLevels {
  opts: CacheOptions;
  l1: ExpiringLru<unknown>;
  l1TtlMs: number;
  count: (key: string, result: 'bypass' | 'hit_l1' | 'hit_redis' | 'miss' | 'redis_error') => void;
  warnRedis: (e: unknown, key: string) => void;
}

/** L1, then Redis, then the loader; a Redis failure counts and falls back to loading, never fails the lookup. */
async function getOrLoad<T>(c: CacheLevels, key: string, ttlS: number, load: () => Promise<T>): Promise<{ value: T; hit: boolean }> {
  const { opts, l1 } = c;
  if (!opts.switches.cache) {
    c.count(key, 'bypass');
    return { value: await load(), hit: false };
  }
  const local = l1.get(key);
  if (local !== undefined) {
    c.count(key, 'hit_l1');
    return { value: local as T, hit: true };
  }
  let redisOk = true;
  try {
    const raw = await opts.redis.get(key);
    if (raw !== null) {
      const value = JSON.parse(raw) as T;
      l1.set(key, value, l1TtlMsFor(c.l1TtlMs, ttlS));
      c.count(key, 'hit_redis');
      return { value, hit: true };
    }
  } catch (e) {
    redisOk = false;
    c.count(key, 'redis_error');
    c.warnRedis(e, key);
  }
  if (redisOk) c.count(key, 'miss');
  const value = await load();
  l1.set(key, value, l1TtlMsFor(c.l1TtlMs, ttlS));
  if (redisOk) {
    // Fire and forget: a slow Redis write must not add to the response time of a miss.
    opts.redis.set(key, JSON.stringify(value), 'EX', redisTtlS(ttlS)).catch((e) => c.warnRedis(e, key));
  }
  return { value, hit: false };
}

/**
 * SCAN + UNLINK over a prefix. ioredis applies its keyPrefix to commands but not to SCAN's MATCH
 * pattern or its results, so the prefix is added to the pattern and removed from the keys found.
 */
export async function deleteByPrefix(redis: Redis, prefix: string): Promise<number> {
  const kp = (redis.options.keyPrefix as string | undefined) ?? '';
  const pattern = `${escapeGlob(kp + prefix)}*`;
  let cursor = '0';
  let deleted = 0;
  for (let i = 0; i < 10_000; i++) {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
    if (keys.length > 0) deleted += await redis.unlink(...keys.map((k) => k.slice(kp.length)));
    cursor = next;
    if (cursor === '0') break;
  }
  return deleted;
}

function escapeGlob(s: string): string {
  return s.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
}

/** One warning per 5 s at most: a Redis outage under load would otherwise flood the log. */
function throttledWarn(log: Logger): (e: unknown, key: string) => void {
  let lastMs = 0;
  let suppressed = 0;
  return (e, key) => {
    const now = Date.now();
    if (now - lastMs < 5_000) {
      suppressed++;
      return;
    }
    log.warn({ err: (e as Error).message, key, suppressed }, 'redis unavailable; cache falls back to loading');
    lastMs = now;
    suppressed = 0;
  };
}
