import type { ClaimProbe } from '../probe.ts';
import { http } from '../measure.ts';
import { callsMatching, FEED_PAGE_QUERY, n } from './lib.ts';
import { fact, judged, type ProbeResult } from '../verdict.ts';

export interface StampedeBurst {
  /** Feed page queries counted by pg_stat_statements during the burst. */
  rebuilds: number;
  /** Answers that were 200. */
  ok: number;
}

export interface Nv9Measurement {
  concurrent: number;
  off: StampedeBurst;
  on: StampedeBurst;
}

/**
 * "A lock lets one rebuild" holds only if the others were still served: one rebuild while most
 * requests failed is not a fix. Zero rebuilds without the lock means the counter saw nothing.
 */
export function judgeNv9(m: Nv9Measurement): ProbeResult {
  const counting = m.off.rebuilds > 0;
  return judged(
    'NV-9',
    `switch stampede-lock off/on (cache on); ${m.concurrent} simultaneous GET /api/feed of one user with a cold cache; feed page queries (every form) from pg_stat_statements`,
    `rebuild queries: ${m.off.rebuilds} of ${m.concurrent} without the lock, ${m.on.rebuilds} with it (${m.off.ok} and ${m.on.ok} of ${m.concurrent} answered 200)`,
    [
      fact('without a lock, (nearly) all misses reach Postgres (>= 50%)', counting ? m.off.rebuilds >= m.concurrent * 0.5 : undefined, counting ? `${m.off.rebuilds}/${m.concurrent}` : 'not measured: pg_stat_statements counted no rebuild'),
      fact('with the lock, one rebuilds and every request is served', counting ? m.on.rebuilds === 1 && m.on.ok === m.concurrent : undefined, counting ? `${m.on.rebuilds} rebuild(s), ${m.on.ok}/${m.concurrent} answered 200` : 'not measured'),
    ],
    { concurrent: m.concurrent, rebuildsOff: m.off.rebuilds, rebuildsOn: m.on.rebuilds, okOff: m.off.ok, okOn: m.on.ok },
  );
}
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
  description: 'fires N concurrent GET /api/feed for a user with a cold cache, stampede-lock off then on, counting feed page queries',
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
      const before = await callsMatching(ctx, FEED_PAGE_QUERY);
      const answers = await Promise.all(Array.from({ length: concurrent }, () => http(`${ctx.gateway}/api/feed?limit=20`, { headers, timeoutMs: 60_000 }).then((r) => r.status, () => 0)));
      const rebuilds = (await callsMatching(ctx, FEED_PAGE_QUERY)) - before;
      return { rebuilds, ok: answers.filter((s) => s === 200).length };
    };
    const off = await ctx.withSwitches({ cache: true, 'stampede-lock': false }, () => burst(userOff));
    const on = await ctx.withSwitches({ cache: true, 'stampede-lock': true }, () => burst(userOn));
    return [judgeNv9({ concurrent, off, on })];
  },
};
