import { SQL } from '../../sql-audit/catalog.ts';
import type { ClaimProbe } from '../probe.ts';
import { fmtMs } from '../measure.ts';
import { n, result, timeSql } from './lib.ts';

/** NF-13, LC-3: the NewFeed indexes, measured on a post's comments (comments(post_id)). */
export const nf13NewfeedIndexes: ClaimProbe = {
  id: 'nf-13-newfeed-indexes',
  claimIds: ['NF-13', 'LC-3'],
  description: 'times comments_by_post for the most-commented post with idx-newfeed off, then on',
  profiles: ['smoke', 'full'],
  async run(ctx) {
    const top = await ctx.db.query<{ post_id: string }>('SELECT post_id FROM comments GROUP BY post_id ORDER BY count(*) DESC LIMIT 1');
    const postId = Number(top.rows[0]?.post_id ?? 1);
    const runs = n(ctx, 20, 100);
    const params = [postId, 20];
    const before = await ctx.withSwitches({ 'idx-newfeed': false }, () => timeSql(ctx, SQL.comments_by_post, params, runs));
    const after = await ctx.withSwitches({ 'idx-newfeed': true }, () => timeSql(ctx, SQL.comments_by_post, params, runs));
    const faster = 1 - after.p50 / before.p50;
    const measured = `comments_by_post p50 ${fmtMs(before.p50)} -> ${fmtMs(after.p50)} (${(faster * 100).toFixed(0)}% faster)`;
    const method = `switch idx-newfeed off/on; comments_by_post (catalog SQL) for the most-commented post, ${runs} runs each, direct connection`;
    return [
      result('NF-13', method, measured, [{ label: 'comments(post_id) serves the comment list', ok: faster > 0.5, measured: `${(faster * 100).toFixed(0)}% faster` }], { beforeP50Ms: before.p50, afterP50Ms: after.p50 }),
      result('LC-3', method, measured, [{ label: 'queries 50-80% faster', ok: faster >= 0.5 && faster <= 0.8, measured: `${(faster * 100).toFixed(0)}%` }], { faster }),
    ];
  },
};
