/** What the platform does to its database and Redis namespace before any server starts. */
import pg from 'pg';
import type { Logger } from 'pino';
import type { Switches } from '../../core/index.ts';
import { applyIndexSwitches } from '../../sql-audit/index.ts';
import { deleteByPrefix } from '../shared/cache.ts';
import { closeRedis, createRedisClient, waitForRedis } from '../shared/redis.ts';

/** Creates or drops the indexes the switches name, over a direct (non-PgBouncer) connection. */
export async function applyIndexesAtStart(adminDatabaseUrl: string, switches: Readonly<Switches>, log: Logger): Promise<void> {
  const client = new pg.Client({ connectionString: adminDatabaseUrl, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    const r = await applyIndexSwitches(client, switches);
    if (r.changes.length > 0) log.info({ changes: r.changes.map((c) => `${c.id} ${c.direction}`), totalMs: Math.round(r.totalMs) }, 'index switches applied');
  } finally {
    await client.end();
  }
}

/** Deletes the namespace's keys; a Redis that does not answer is only warned about (the platform degrades without it). */
export async function flushRedisNamespaceAtStart(redisUrl: string, redisKeyPrefix: string, log: Logger): Promise<void> {
  const redis = createRedisClient({ url: redisUrl, keyPrefix: redisKeyPrefix, log });
  try {
    if (await waitForRedis(redis, 3_000)) {
      const n = await deleteByPrefix(redis, '');
      if (n > 0) log.info({ keys: n, prefix: redisKeyPrefix }, 'cleared the redis namespace left by an earlier platform');
    } else log.warn({ redisUrl }, 'redis not reachable at start; continuing (cache misses, rate limits fail open)');
  } finally {
    await closeRedis(redis);
  }
}
