import { SQL } from '../../sql-audit/catalog.ts';
import type { ClaimProbe } from '../probe.ts';
import { fmtMs } from '../measure.ts';
import { hasNode, heavyUser, n, planNodes, result, timeSql } from './lib.ts';

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
    const speedup = before.small.p50 / Math.max(after.small.p50, 0.001);
    return [
      result(
        'NV-1',
        `switch idx-posts-user-created off/on (idx-newfeed off in both, so only posts(user_id) remains in baseline); get_user_posts (catalog SQL) on a direct connection, ${runs} runs each, users with ${small.posts} and ${large.posts} posts`,
        `${small.posts} posts: p50 ${fmtMs(before.small.p50)} -> ${fmtMs(after.small.p50)} (${speedup.toFixed(0)}x); ${large.posts} posts: p99 ${fmtMs(before.large.p99)} -> ${fmtMs(after.large.p99)}; Sort node ${before.sort ? 'present' : 'absent'} -> ${after.sort ? 'present' : 'absent'}`,
        [
          { label: `baseline > 500 ms at ${small.posts} posts`, ok: before.small.p50 > 500, measured: fmtMs(before.small.p50) },
          { label: `baseline P99 > 5 s at ${large.posts} posts`, ok: before.large.p99 > 5000, measured: fmtMs(before.large.p99) },
          { label: 'with the index < 10 ms', ok: after.small.p50 < 10 && after.large.p50 < 10, measured: `${fmtMs(after.small.p50)} / ${fmtMs(after.large.p50)}` },
          { label: '50x faster', ok: speedup >= 50, measured: `${speedup.toFixed(0)}x` },
          { label: 'no Sort node with the index', ok: before.sort && !after.sort, measured: `${before.sort ? 'Sort' : 'no Sort'} -> ${after.sort ? 'Sort' : 'no Sort'}` },
        ],
        { baselineP50Ms10k: before.small.p50, optimizedP50Ms10k: after.small.p50, baselineP99Ms100k: before.large.p99, optimizedP99Ms100k: after.large.p99, speedup },
      ),
    ];
  },
};
