/**
 * Redis clients for the platform. Commands fail fast instead of queueing while Redis is away
 * (no offline queue, one retry, a command timeout), so a Redis outage turns into cache misses,
 * fail-open rate limits and 503s with a reason, never into requests that hang.
 * Each platform namespaces its keys (ioredis keyPrefix) so several platforms - one per test
 * database - can share one Redis without reading each other's cached rows.
 */
import { Redis } from 'ioredis';
import type { Logger } from 'pino';

export interface RedisClientOptions {
  url: string;
  /** e.g. "brink:platform_db:"; every key this client touches starts with it. */
  keyPrefix?: string;
  log: Logger;
  commandTimeoutMs?: number;
  connectTimeoutMs?: number;
}

export function createRedisClient(opts: RedisClientOptions): Redis {
  const redis = new Redis(opts.url, {
    keyPrefix: opts.keyPrefix ?? '',
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: opts.commandTimeoutMs ?? 1_000,
    connectTimeout: opts.connectTimeoutMs ?? 2_000,
    // Keep trying in the background, at most every 2 s, so Redis coming back is picked up.
    retryStrategy: (times) => Math.min(times * 200, 2_000),
    lazyConnect: false,
  });
  let lastWarnMs = 0;
  redis.on('error', (e: Error) => {
    const now = Date.now();
    if (now - lastWarnMs > 5_000) {
      lastWarnMs = now;
      opts.log.warn({ err: e.message }, 'redis error');
    }
  });
  return redis;
}

/** Waits until the client is ready or `timeoutMs` passes; never throws (Redis may be down at start). */
export async function waitForRedis(redis: Redis, timeoutMs: number): Promise<boolean> {
  if (redis.status === 'ready') return true;
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      clearTimeout(timer);
      redis.off('ready', onReady);
      resolve(ok);
    };
    const onReady = () => done(true);
    const timer = setTimeout(() => done(false), timeoutMs);
    redis.once('ready', onReady);
  });
}

export async function closeRedis(redis: Redis): Promise<void> {
  try {
    await redis.quit();
  } catch {
    redis.disconnect();
  }
}
