import { Redis } from 'ioredis';
import type { ClaimProbe } from '../probe.ts';
import type { AssessContext } from '../context.ts';
import { http, repeat } from '../measure.ts';
import { fact, judged, type ProbeResult } from '../verdict.ts';
import { n } from './lib.ts';
import { ToxiproxyClient } from '../../stack/index.ts';

/** TTL (s) Redis reports for the key a read left behind, per family; undefined when no key was found. */
export interface Lc1Measurement {
  ttlS: { profile?: number; search?: number; feed?: number; comments?: number };
  /** A read right after the mutation saw it (profile renamed, new comment listed). */
  profileFresh: boolean | undefined;
  commentFresh: boolean | undefined;
  /** Reads with Redis unreachable (its proxy disabled): how many answered 200. */
  redisDownReads: number;
  redisDownOk: number;
}

const CLAIMED_TTL_S = { profile: 600, search: 300, feed: 120, comments: 180 } as const;

/** A TTL matches when Redis reports at most the claim and no more than 60 s less (time since the write). */
const ttlPart = (family: keyof typeof CLAIMED_TTL_S, ttl: number | undefined) =>
  fact(`${family} ${CLAIMED_TTL_S[family] / 60} min`, ttl === undefined ? undefined : ttl <= CLAIMED_TTL_S[family] && ttl >= CLAIMED_TTL_S[family] - 60, ttl === undefined ? 'not measured: no key found after a read' : `TTL ${ttl} s`);

export function judgeLc1(m: Lc1Measurement): ProbeResult {
  return judged(
    'LC-1',
    'cache on: one read each of a profile, a search, a feed and a comment list through the gateway, then the TTLs of the keys they left in Redis; a profile PATCH and a new comment, each followed by a read; reads with the Redis proxy disabled',
    `TTLs: profile ${m.ttlS.profile ?? '-'} s, search ${m.ttlS.search ?? '-'} s, feed ${m.ttlS.feed ?? '-'} s, comments ${m.ttlS.comments ?? '-'} s; after mutation: profile ${m.profileFresh === undefined ? '-' : m.profileFresh ? 'fresh' : 'STALE'}, comments ${m.commentFresh === undefined ? '-' : m.commentFresh ? 'fresh' : 'STALE'}; Redis down: ${m.redisDownOk}/${m.redisDownReads} reads answered 200`,
    [
      ttlPart('profile', m.ttlS.profile),
      ttlPart('search', m.ttlS.search),
      ttlPart('feed', m.ttlS.feed),
      ttlPart('comments', m.ttlS.comments),
      fact('invalidated on mutation (profile update, new comment)', m.profileFresh === undefined || m.commentFresh === undefined ? undefined : m.profileFresh && m.commentFresh, `profile ${m.profileFresh ? 'fresh' : 'stale'}, comments ${m.commentFresh ? 'fresh' : 'stale'}`),
      fact('graceful fallback when Redis is down (every read answered)', m.redisDownReads > 0 ? m.redisDownOk === m.redisDownReads : undefined, `${m.redisDownOk}/${m.redisDownReads} answered 200`),
    ],
    { ttlProfileS: m.ttlS.profile, ttlSearchS: m.ttlS.search, ttlFeedS: m.ttlS.feed, ttlCommentsS: m.ttlS.comments, redisDownOk: m.redisDownOk, redisDownReads: m.redisDownReads },
  );
}

/** The largest TTL among keys matching `pattern`: the key the read just wrote (older ones have less left). */
async function ttlOf(redis: Redis, pattern: string): Promise<number | undefined> {
  let best: number | undefined;
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 10_000);
    for (const k of keys) {
      const t = await redis.ttl(k);
      if (t > 0 && (best === undefined || t > best)) best = t;
    }
    cursor = next;
  } while (cursor !== '0');
  return best;
}

async function dropKeys(redis: Redis, pattern: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 10_000);
    if (keys.length) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}

async function setProxy(ctx: AssessContext, name: string, enabled: boolean): Promise<void> {
  await new ToxiproxyClient(ctx.stack.urls.toxiproxy).setEnabled(name, enabled);
}

/** LC-5's own checklist, each item executed here. */
export interface Lc5Measurement {
  /** A cached read left its key in Redis with a TTL. */
  cachedInRedis: boolean | undefined;
  /** Reads with Redis down answered. */
  fallbackOk: boolean | undefined;
  /** /health 200, /health/ready 200, /metrics Prometheus text. */
  health: { live: number; ready: number; metrics: boolean };
  invalidated: boolean | undefined;
  /** p50 of the same reads with the cache off, then on. */
  uncachedP50Ms: number;
  cachedP50Ms: number;
}

export function judgeLc5(m: Lc5Measurement): ProbeResult {
  return judged(
    'LC-5',
    'the lets-connect testing checklist, each item executed on the running platform: caching with Redis, fallback without Redis, health and metrics endpoints, invalidation on mutation, cached vs uncached load',
    `Redis key after a read: ${m.cachedInRedis ? 'yes' : 'no'}; Redis down: ${m.fallbackOk ? 'answered' : 'failed'}; /health ${m.health.live}, /health/ready ${m.health.ready}, /metrics ${m.health.metrics ? 'ok' : 'missing'}; invalidation ${m.invalidated ? 'seen' : 'not seen'}; load p50 ${m.uncachedP50Ms.toFixed(1)} ms uncached vs ${m.cachedP50Ms.toFixed(1)} ms cached`,
    [
      fact('caching with Redis', m.cachedInRedis, m.cachedInRedis === undefined ? '' : m.cachedInRedis ? 'key with TTL found' : 'no key'),
      fact('fallback without Redis', m.fallbackOk, m.fallbackOk === undefined ? '' : m.fallbackOk ? 'every read answered' : 'reads failed'),
      fact('health and metrics endpoints', m.health.live === 200 && m.health.ready === 200 && m.health.metrics, `${m.health.live}/${m.health.ready}/${m.health.metrics ? 'metrics' : 'no metrics'}`),
      fact('invalidation on mutation', m.invalidated, m.invalidated === undefined ? '' : m.invalidated ? 'fresh after update' : 'stale after update'),
      fact('cached vs uncached load test (cached faster)', m.cachedP50Ms < m.uncachedP50Ms, `${m.uncachedP50Ms.toFixed(1)} -> ${m.cachedP50Ms.toFixed(1)} ms`),
    ],
    { uncachedP50Ms: m.uncachedP50Ms, cachedP50Ms: m.cachedP50Ms },
  );
}

/** LC-1: the TTLs per family, invalidation on mutation, and reads with Redis down; LC-5's checklist with them. */
export const lc1CacheAside: ClaimProbe = {
  id: 'lc-1-cache-aside',
  claimIds: ['LC-1', 'LC-5'],
  description: 'reads each cached family and reads its TTL in Redis, mutates and reads back, then reads with Redis unreachable',
  profiles: ['smoke', 'full'],
  async run(ctx) {
    const prefix = `brink:${ctx.stack.database}:`;
    const me = ctx.dataset.sampleUserIds[5]!;
    const headers = { authorization: `Bearer ${await ctx.token(me)}` };
    const get = (path: string) => http(`${ctx.gateway}${path}`, { headers, timeoutMs: 30_000 });
    const post = await ctx.db.query<{ id: string }>('SELECT id FROM posts WHERE deleted_at IS NULL ORDER BY id DESC LIMIT 1');
    const postId = Number(post.rows[0]!.id);
    const query = `${ctx.dataset.searchTerms.selective[0] ?? 'alpha'} lc${Date.now().toString(36)}`;
    const redis = new Redis(ctx.stack.urls.redis, { maxRetriesPerRequest: 1 });
    try {
      return await ctx.withSwitches({ cache: true }, async () => {
        // Each read must be a miss that writes its key now: drop what earlier reads cached, wait out
        // the services' 2 s in-process L1, and search a query no one made before.
        for (const pattern of [`${prefix}user:${me}`, `${prefix}feed:${me}:*`, `${prefix}comments:${postId}:*`]) await dropKeys(redis, pattern);
        await new Promise((r) => setTimeout(r, 2500));
        await get(`/api/users/${me}`);
        await get(`/api/search/posts?q=${encodeURIComponent(query)}&limit=20`);
        await get('/api/feed?limit=20');
        await get(`/api/posts/${postId}/comments?limit=20`);
        const ttlS = {
          profile: await ttlOf(redis, `${prefix}user:${me}`),
          search: await ttlOf(redis, `${prefix}search:*:${query.toLowerCase()}`),
          feed: await ttlOf(redis, `${prefix}feed:${me}:*`),
          comments: await ttlOf(redis, `${prefix}comments:${postId}:*`),
        };
        const name = `lc1 ${Date.now().toString(36)}`;
        const patch = await http(`${ctx.gateway}/api/users/${me}`, { method: 'PATCH', headers, json: { displayName: name } });
        const after = await get(`/api/users/${me}`);
        const profileFresh = patch.status === 200 && after.status === 200 ? after.body.toString().includes(name) : undefined;
        const body = `lc1 comment ${Date.now().toString(36)}`;
        const created = await http(`${ctx.gateway}/api/posts/${postId}/comments`, { method: 'POST', headers, json: { body } });
        const listed = await get(`/api/posts/${postId}/comments?limit=20`);
        const commentFresh = (created.status === 201 || created.status === 200) && listed.status === 200 ? listed.body.toString().includes(body) : undefined;
        // Before the outage below: readiness right after Redis returns would judge the reconnect, not the endpoint.
        const live = (await http(`${ctx.gateway}/health`)).status;
        const ready = (await http(`${ctx.gateway}/health/ready`)).status;
        const metrics = await http(`${ctx.gateway}/metrics`);
        const reads = n(ctx, 20, 100);
        let ok = 0;
        await setProxy(ctx, 'redis', false);
        try {
          for (let i = 0; i < reads; i++) if ((await get(`/api/users/${ctx.dataset.sampleUserIds[(i % 50) + 10]!}`)).status === 200) ok++;
        } finally {
          await setProxy(ctx, 'redis', true);
        }
        const load = async (cache: boolean) => ctx.withSwitches({ cache }, () => repeat(reads * 3, async (i) => {
          const r = await get(`/api/users/${ctx.dataset.sampleUserIds[Math.abs(i) % 10]!}`);
          if (r.status !== 200) throw new Error(`GET profile answered ${r.status}`);
        }, { warmup: 10 }));
        const uncached = await load(false);
        const cached = await load(true);
        return [
          judgeLc1({ ttlS, profileFresh, commentFresh, redisDownReads: reads, redisDownOk: ok }),
          judgeLc5({
            cachedInRedis: ttlS.profile !== undefined,
            fallbackOk: ok === reads,
            health: { live, ready, metrics: metrics.status === 200 && metrics.body.toString().includes('# TYPE') },
            invalidated: profileFresh,
            uncachedP50Ms: uncached.p50,
            cachedP50Ms: cached.p50,
          }),
        ];
      });
    } finally {
      redis.disconnect();
    }
  },
};
