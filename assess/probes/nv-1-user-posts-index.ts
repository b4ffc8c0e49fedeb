import { SQL } from '../../sql-audit/index.ts';
import type { ClaimProbe } from '../probe.ts';
import { fmtMs } from '../measure.ts';
import { fact, flawAtLeast, higherIsBetter, judged, lowerIsBetter, show, type ProbeResult } from '../verdict.ts';
import { hasNode, heavyUser, n, planNodes, timeSql } from './lib.ts';

export interface Nv1Measurement {
  runs: number;
  smallPosts: number;
  largePosts: number;
  before: { smallP50Ms: number; largeP99Ms: number; sort: boolean };
  after: { smallP50Ms: number; largeP50Ms: number; largeP99Ms: number; sort: boolean };
}

export function judgeNv1(m: Nv1Measurement): ProbeResult {
  const speedup = m.after.smallP50Ms > 0 ? m.before.smallP50Ms / m.after.smallP50Ms : undefined;
  return judged(
    'NV-1',
    `switch idx-posts-user-created off/on (idx-newfeed off in both, so only posts(user_id) remains in baseline); get_user_posts (catalog SQL) on a direct connection, ${m.runs} runs each, users with ${m.smallPosts} and ${m.largePosts} posts`,
    `${m.smallPosts} posts: p50 ${fmtMs(m.before.smallP50Ms)} -> ${fmtMs(m.after.smallP50Ms)}${speedup !== undefined ? ` (${speedup.toFixed(0)}x)` : ''}; ${m.largePosts} posts: p99 ${fmtMs(m.before.largeP99Ms)} -> ${fmtMs(m.after.largeP99Ms)}; Sort node ${m.before.sort ? 'present' : 'absent'} -> ${m.after.sort ? 'present' : 'absent'}`,
    [
      flawAtLeast(`baseline > 500 ms at ${m.smallPosts} posts`, m.before.smallP50Ms, 500, show.ms),
      flawAtLeast(`baseline P99 > 5 s at ${m.largePosts} posts`, m.before.largeP99Ms, 5000, show.ms),
      lowerIsBetter('with the index < 10 ms (both users, p50)', Math.max(m.after.smallP50Ms, m.after.largeP50Ms), 10, show.ms, { strict: true }),
      higherIsBetter('50x faster', speedup, 50, show.x),
      fact('no Sort node in the plan with the index', !m.after.sort, m.after.sort ? 'Sort present' : 'no Sort'),
    ],
    { baselineP50Ms10k: m.before.smallP50Ms, optimizedP50Ms10k: m.after.smallP50Ms, baselineP99Ms100k: m.before.largeP99Ms, optimizedP99Ms100k: m.after.largeP99Ms, speedup },
  );
}

/** NV-1: get_user_posts with only posts(user_id) vs the partial composite index, at 10k and 100k posts. */
export const nv1UserPostsIndex: ClaimProbe = {
  id: 'nv-1-user-posts-index',
  claimIds: ['NV-1'],
  description: 'times get_user_posts for the 10,000- and 100,000-post users with idx-posts-user-created off, then on',
  profiles: ['smoke', 'full'],
  async run(ctx) {
    const small = heavyUser(ctx, 'small');
    const large = heavyUser(ctx, 'large');
    const runs = n(ctx, 20, 100);
    const measure = async () => ({
      small: await timeSql(ctx, SQL.get_user_posts, [small.id], runs),
      large: await timeSql(ctx, SQL.get_user_posts, [large.id], runs),
      sort: hasNode(await planNodes(ctx, SQL.get_user_posts, [large.id]), 'Sort'),
    });
    // "Only an index on user_id": posts(created_at DESC) (idx-newfeed) would serve the ORDER BY too.
    const before = await ctx.withSwitches({ 'idx-posts-user-created': false, 'idx-newfeed': false }, measure);
    const after = await ctx.withSwitches({ 'idx-posts-user-created': true, 'idx-newfeed': false }, measure);
    return [judgeNv1({
      runs, smallPosts: small.posts, largePosts: large.posts,
      before: { smallP50Ms: before.small.p50, largeP99Ms: before.large.p99, sort: before.sort },
      after: { smallP50Ms: after.small.p50, largeP50Ms: after.large.p50, largeP99Ms: after.large.p99, sort: after.sort },
    })];
  },
};
