/**
 * 60 messages per sliding minute per user (CP-3), shared by every chat instance: a Redis sorted set
 * of send times per user, trimmed and counted in one Lua script so two instances cannot both let
 * the 61st through. Refused sends are not recorded, so a user who waits gets their budget back.
 */
import type { Redis } from 'ioredis';

const SLIDING_WINDOW_LUA = `
local key = KEYS[1]
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
if redis.call('ZCARD', key) >= limit then return 0 end
redis.call('ZADD', key, now, ARGV[4])
redis.call('PEXPIRE', key, window)
return 1`;

export const RATE_WINDOW_MS = 60_000;

export interface RateLimiter {
  /** true when the send is allowed (and counted). */
  take(userId: number): Promise<boolean>;
}

interface SlidingWindowCommand {
  chatSlidingWindow?(key: string, nowMs: number, windowMs: number, limit: number, member: string): Promise<number>;
}

export function createRateLimiter(redis: Redis, redisPrefix: string, perMinute: () => number): RateLimiter {
  // defineCommand sends EVALSHA (the script body only once per connection): this runs per message.
  const r = redis as unknown as Required<SlidingWindowCommand>;
  if (!(redis as unknown as SlidingWindowCommand).chatSlidingWindow) redis.defineCommand('chatSlidingWindow', { numberOfKeys: 1, lua: SLIDING_WINDOW_LUA });
  let seq = 0;
  return {
    async take(userId) {
      const now = Date.now();
      const member = `${now}:${process.pid}:${++seq}`;
      return (await r.chatSlidingWindow(`${redisPrefix}chat-rate:${userId}`, now, RATE_WINDOW_MS, perMinute(), member)) === 1;
    },
  };
}
