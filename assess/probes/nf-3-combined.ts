import { createRng, zipfTable } from '../../reference-system/index.ts';
import type { Switches } from '../../core/index.ts';
import type { ClaimProbe } from '../probe.ts';
import { fmtMs, http, repeat } from '../measure.ts';
import { higherIsBetter, judged, show, type ProbeResult } from '../verdict.ts';
import { heavyUser, n } from './lib.ts';

export interface Nf3Measurement {
  requests: number;
  offMeanMs: number;
  onMeanMs: number;
  offP95Ms: number;
  onP95Ms: number;
}

export function judgeNf3(m: Nf3Measurement): ProbeResult {
  const ratio = m.onMeanMs > 0 ? m.offMeanMs / m.onMeanMs : undefined;
  return judged(
    'NF-3',
    `pooling, cache and the index switches (idx-newfeed, idx-posts-user-created, idx-follows-follower) all off, then all on; ${m.requests} mixed reads (profile, feed, a user's posts, a post's comments) over Zipf-drawn keys through the gateway, the same sequence both times`,
    `mean ${fmtMs(m.offMeanMs)} -> ${fmtMs(m.onMeanMs)} (${ratio !== undefined ? show.x(ratio) : '-'}), P95 ${fmtMs(m.offP95Ms)} -> ${fmtMs(m.onP95Ms)}`,
    [higherIsBetter('3-5x better overall response time (mean)', ratio, [3, 5], show.x)],
    { offMeanMs: m.offMeanMs, onMeanMs: m.onMeanMs, offP95Ms: m.offP95Ms, onP95Ms: m.onP95Ms, ratio },
  );
}

const FIXES = ['pooling', 'cache', 'idx-newfeed', 'idx-posts-user-created', 'idx-follows-follower'] as const;

/** NF-3: the three fixes together vs none, on one mixed read workload. */
export const nf3Combined: ClaimProbe = {
  id: 'nf-3-combined',
  claimIds: ['NF-3'],
  description: 'runs one mixed read workload with pooling, caching and indexes all off, then all on',
  profiles: ['smoke', 'full'],
  async run(ctx) {
    const users = ctx.dataset.sampleUserIds;
    const posts = (await ctx.db.query<{ post_id: string }>('SELECT c.post_id FROM comments c JOIN posts p ON p.id = c.post_id WHERE p.deleted_at IS NULL GROUP BY c.post_id ORDER BY count(*) DESC LIMIT 200')).rows.map((r) => Number(r.post_id));
    const authors = [heavyUser(ctx, 'small').id, ...users.slice(0, 50)];
    const requests = n(ctx, 80, 1000);
    const zUsers = zipfTable(users.length, 1);
    const zPosts = zipfTable(Math.max(1, posts.length), 1);
    const zAuthors = zipfTable(authors.length, 1);
    const workload = async (seed: number) => {
      const rng = createRng(seed);
      return repeat(requests, async (i) => {
        const me = users[zUsers.sample(rng)]!;
        const headers = { authorization: `Bearer ${await ctx.token(me)}` };
        const k = Math.abs(i) % 4;
        const path = k === 0 ? `/api/users/${users[zUsers.sample(rng)]!}` : k === 1 ? '/api/feed?limit=20' : k === 2 ? `/api/users/${authors[zAuthors.sample(rng)]!}/posts?limit=20` : `/api/posts/${posts[zPosts.sample(rng)] ?? 1}/comments?limit=20`;
        const r = await http(`${ctx.gateway}${path}`, { headers, timeoutMs: 60_000 });
        if (r.status !== 200) throw new Error(`GET ${path} answered ${r.status}`);
      }, { concurrency: 4 });
    };
    const all = (on: boolean) => Object.fromEntries(FIXES.map((f) => [f, on])) as Partial<Switches>;
    const off = await ctx.withSwitches(all(false), () => workload(3));
    const on = await ctx.withSwitches(all(true), () => workload(3));
    return [judgeNf3({ requests, offMeanMs: off.mean, onMeanMs: on.mean, offP95Ms: off.p95, onP95Ms: on.p95 })];
  },
};
