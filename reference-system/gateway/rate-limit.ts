/**
 * Sliding-window rate limiting (NF-6, CP-4). With `redis-rate-limit` on, each key is a Redis
 * sorted set of request timestamps, checked in ONE round trip (MULTI: ZREMRANGEBYSCORE, ZADD,
 * ZCARD, ZRANGE oldest, PEXPIRE), so every gateway instance sees the same count. Off, each gateway
 * process keeps its own in-memory windows: with two instances a client gets twice the limit, the
 * flaw NF-6 fixes. When Redis is unreachable the Redis limiter fails open (counted and logged) or,
 * if configured, closed.
 */
import type { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';

export interface RateRule {
  limit: number;
  windowMs: number;
  /** Which caller identity the window is kept per. */
  by: 'ip' | 'user';
}

/** NewFeed's rules (NF-6) and CP-4's login limit. */
export const RATE_RULES = {
  login: { limit: 5, windowMs: 15 * 60_000, by: 'ip' },
  register: { limit: 3, windowMs: 60 * 60_000, by: 'ip' },
  'create-post': { limit: 10, windowMs: 60 * 60_000, by: 'user' },
  'create-comment': { limit: 30, windowMs: 15 * 60_000, by: 'user' },
} as const satisfies Record<string, RateRule>;

export type RateRuleId = keyof typeof RATE_RULES;

export interface RateDecision {
  allowed: boolean;
  /** Requests counted in the window, this one included. */
  count: number;
  limit: number;
  /** When a rejected caller may try again. */
  retryAfterMs: number;
  /** 'redis' | 'memory', or 'fail-open' / 'fail-closed' when Redis could not be asked. */
  source: 'redis' | 'memory' | 'fail-open' | 'fail-closed';
}

export interface RateLimiter {
  check(key: string, rule: RateRule, nowMs?: number): Promise<RateDecision>;
}

/** One process's windows, as plain arrays of timestamps (oldest first). */
export function memoryRateLimiter(maxKeys = 100_000): RateLimiter & { readonly size: number } {
  const windows = new Map<string, number[]>();
  return {
    get size() {
      return windows.size;
    },
    async check(key, rule, nowMs = Date.now()) {
      const since = nowMs - rule.windowMs;
      const hits = (windows.get(key) ?? []).filter((t) => t > since);
      const allowed = hits.length < rule.limit;
      if (allowed) hits.push(nowMs);
      windows.delete(key);
      windows.set(key, hits);
      // Bounded memory: forget the least recently used keys.
      while (windows.size > maxKeys) windows.delete(windows.keys().next().value as string);
      return decision(allowed, allowed ? hits.length : hits.length + 1, rule, hits[0] ?? nowMs, nowMs, 'memory');
    },
  };
}

export function redisRateLimiter(redis: Redis, opts: { failClosed?: boolean; onRedisError?: (e: unknown) => void } = {}): RateLimiter {
  return {
    async check(key, rule, nowMs = Date.now()) {
      const member = `${nowMs}-${randomBytes(6).toString('hex')}`;
      let res: [Error | null, unknown][] | null;
      try {
        res = await redis
          .multi()
          .zremrangebyscore(key, 0, nowMs - rule.windowMs)
          .zadd(key, nowMs, member)
          .zcard(key)
          .zrange(key, 0, 0, 'WITHSCORES')
          .pexpire(key, rule.windowMs)
          .exec();
        if (!res) throw new Error('rate limit transaction aborted');
        const failed = res.find(([e]) => e);
        if (failed) throw failed[0];
      } catch (e) {
        opts.onRedisError?.(e);
        return { allowed: !opts.failClosed, count: 0, limit: rule.limit, retryAfterMs: opts.failClosed ? 1_000 : 0, source: opts.failClosed ? 'fail-closed' : 'fail-open' };
      }
      const count = Number(res[2]![1]);
      const oldest = Number((res[3]![1] as string[])[1] ?? nowMs);
      const allowed = count <= rule.limit;
      // A rejected request does not stay in the window: it was not served, so it should not
      // push the caller's retry time further out.
      if (!allowed) redis.zrem(key, member).catch(() => undefined);
      return decision(allowed, count, rule, oldest, nowMs, 'redis');
    },
  };
}

function decision(allowed: boolean, count: number, rule: RateRule, oldestMs: number, nowMs: number, source: RateDecision['source']): RateDecision {
  return { allowed, count, limit: rule.limit, retryAfterMs: allowed ? 0 : Math.max(1, oldestMs + rule.windowMs - nowMs), source };
}
