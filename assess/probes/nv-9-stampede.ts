import { SQL } from '../../sql-audit/catalog.ts';
import type { ClaimProbe } from '../probe.ts';
import { http } from '../measure.ts';
import { callsOf, n, result } from './lib.ts';
import { Redis } from 'ioredis';

/**
 * Makes a reader's feed cold: deletes its cached pages (and stale copies) in Redis, then waits out
 * the services' 2 s in-process L1. Scenario runs may have warmed any reader in the last minutes.
 */
async function dropFeedCache(redisUrl: string, userId: number): Promise<void> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `*feed:${userId}:*`, 'COUNT', 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  await new Promise((r) => setTimeout(r, 2500));
}

/** NV-9: N simultaneous misses of one user's feed: how many rebuild queries reach Postgres, lock off vs on. */
export const nv9Stampede: ClaimProbe = {
  id: 'nv-9-stampede',
  claimIds: ['NV-9'],
  description: 'fires N concurrent GET /api/feed for a user with a cold cache, stampede-lock off then on, counting fetch_chronological_feed calls',
  profiles: ['smoke', 'full'],
  async run(ctx) {
    const concurrent = n(ctx, 200, 1000);
    // Readers no scenario has used (their feed caches are cold), with the most followees.
    const picked = await ctx.db.query<{ id: string }>(
      'SELECT follower_id AS id FROM follows WHERE follower_id <> ALL($1::bigint[]) GROUP BY follower_id ORDER BY count(*) DESC, follower_id LIMIT 2',
      [ctx.dataset.sampleUserIds],
    );
    const [userOff, userOn] = picked.rows.map((r) => Number(r.id)) as [number, number];
    const burst = async (userId: number) => {
      await dropFeedCache(ctx.stack.urls.redis, userId);
      const headers = { authorization: `Bearer ${await ctx.token(userId)}` };
      const before = await callsOf(ctx, SQL.fetch_chronological_feed);
      const answers = await Promise.all(Array.from({ length: concurrent }, () => http(`${ctx.gateway}/api/feed?limit=20`, { headers, timeoutMs: 60_000 }).then((r) => r.status, () => 0)));
      const rebuilds = (await callsOf(ctx, SQL.fetch_chronological_feed)) - before;
      return { rebuilds, ok: answers.filter((s) => s === 200).length };
    };
    const off = await ctx.withSwitches({ cache: true, 'stampede-lock': false }, () => burst(userOff));
    const on = await ctx.withSwitches({ cache: true, 'stampede-lock': true }, () => burst(userOn));
    return [
      result(
        'NV-9',
        `switch stampede-lock off/on (cache on); ${concurrent} simultaneous GET /api/feed of one user with a cold cache; fetch_chronological_feed calls from pg_stat_statements`,
        `rebuild queries: ${off.rebuilds} of ${concurrent} without the lock, ${on.rebuilds} with it (${off.ok} and ${on.ok} answered 200)`,
        [
          { label: 'without a lock, (nearly) all misses reach Postgres', ok: off.rebuilds >= concurrent * 0.5, measured: `${off.rebuilds}/${concurrent}` },
          { label: 'with the lock, one rebuilds', ok: on.rebuilds === 1, measured: String(on.rebuilds) },
        ],
        { concurrent, rebuildsOff: off.rebuilds, rebuildsOn: on.rebuilds },
      ),
    ];
  },
};
