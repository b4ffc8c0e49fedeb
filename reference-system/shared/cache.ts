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

export function createCache(opts: CacheOptions): Cache & { readonly l1: ExpiringLru<unknown> } {
  const l1 = new ExpiringLru<unknown>(opts.l1MaxEntries ?? 10_000);
  const l1TtlMs = opts.l1TtlMs ?? DEFAULT_L1_TTL_MS;
  const lookups = counter(opts.metrics, {
    name: 'brink_cache_lookups_total',
    help: 'Cache lookups by result: hit_l1, hit_redis, miss, bypass (cache switch off), redis_error (fell back to loading)',
    labelNames: ['service', 'family', 'result'],
  });
  const count = (key: string, result: string) => lookups.inc({ service: opts.service, family: keyFamily(key), result });
  const warnRedis = throttledWarn(opts.log);

  return {
    l1,
    async getOrLoad<T>(key: string, ttlS: number, load: () => Promise<T>) {
      if (!opts.switches.cache) {
        count(key, 'bypass');
        return { value: await load(), hit: false };
      }
      const local = l1.get(key);
      if (local !== undefined) {
        count(key, 'hit_l1');
        return { value: local as T, hit: true };
      }
      let redisOk = true;
      try {
        const raw = await opts.redis.get(key);
        if (raw !== null) {
          const value = JSON.parse(raw) as T;
          l1.set(key, value, Math.min(l1TtlMs, ttlS * 1000));
          count(key, 'hit_redis');
          return { value, hit: true };
        }
      } catch (e) {
        redisOk = false;
        count(key, 'redis_error');
        warnRedis(e, key);
      }
      if (redisOk) count(key, 'miss');
      const value = await load();
      l1.set(key, value, Math.min(l1TtlMs, ttlS * 1000));
      if (redisOk) {
        // Fire and forget: a slow Redis write must not add to the response time of a miss.
        opts.redis.set(key, JSON.stringify(value), 'EX', Math.max(1, Math.round(ttlS))).catch((e) => warnRedis(e, key));
      }
      return { value, hit: false };
    },
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
