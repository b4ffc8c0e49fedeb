import { SQL } from '../../sql-audit/index.ts';
import type { ClaimProbe } from '../probe.ts';
import type { Switches } from '../../core/index.ts';
import type { AssessContext } from '../context.ts';
import { fmtMs } from '../measure.ts';
import { fact, higherIsBetter, judged, show, type ProbeResult } from '../verdict.ts';
import { heavyUser, n, planNodes, timeSql } from './lib.ts';

/** p50 of one query without and with its index (ms). */
export interface IndexTiming {
  beforeP50Ms: number;
  afterP50Ms: number;
}

export interface Nf13Measurement {
  runs: number;
  /** NF-13's four indexes. posts(author_id) is in the schema from the start: only its use is observed. */
  commentsPostId: IndexTiming;
  commentsAuthorId: IndexTiming;
  postsCreatedAt: IndexTiming;
  postsAuthorIdUsed: boolean | undefined;
  /** LC-3's three kinds. */
  partial: IndexTiming;
  composite: IndexTiming;
}

const faster = (t: IndexTiming) => (t.beforeP50Ms > 0 ? 1 - t.afterP50Ms / t.beforeP50Ms : undefined);
const line = (name: string, t: IndexTiming) => `${name} ${fmtMs(t.beforeP50Ms)} -> ${fmtMs(t.afterP50Ms)}`;

/** "50-80% faster" is an improvement: faster than 80% is better than claimed. */
export function judgeNf13(m: Nf13Measurement): ProbeResult[] {
  const method = `index switches off/on (idx-newfeed, idx-posts-user-created, idx-messages-conversation-created); catalog SQL on a direct connection, ${m.runs} runs each`;
  const measured = [line('comments_by_post', m.commentsPostId), line('comments_by_author', m.commentsAuthorId), line('recent_posts', m.postsCreatedAt), line('get_user_posts (partial composite)', m.partial), line('get_message_history (composite)', m.composite)].join('; ');
  const values = { commentsPostIdBeforeMs: m.commentsPostId.beforeP50Ms, commentsPostIdAfterMs: m.commentsPostId.afterP50Ms, commentsAuthorIdBeforeMs: m.commentsAuthorId.beforeP50Ms, commentsAuthorIdAfterMs: m.commentsAuthorId.afterP50Ms, postsCreatedAtBeforeMs: m.postsCreatedAt.beforeP50Ms, postsCreatedAtAfterMs: m.postsCreatedAt.afterP50Ms };
  return [
    judged('NF-13', method, measured, [
      fact('posts(author_id) serves a user\'s posts (index scan in the plan)', m.postsAuthorIdUsed, m.postsAuthorIdUsed === undefined ? '' : m.postsAuthorIdUsed ? 'index scan' : 'no index scan'),
      higherIsBetter('posts(created_at DESC) serves the newest posts (>= 50% faster)', faster(m.postsCreatedAt), 0.5, show.pct),
      higherIsBetter('comments(post_id) serves a post\'s comments (>= 50% faster)', faster(m.commentsPostId), 0.5, show.pct),
      higherIsBetter('comments(author_id) serves a user\'s comments (>= 50% faster)', faster(m.commentsAuthorId), 0.5, show.pct),
    ], values),
    judged('LC-3', method, measured, [
      higherIsBetter('single index (comments(post_id)): 50-80% faster', faster(m.commentsPostId), [0.5, 0.8], show.pct),
      higherIsBetter('composite index (messages(conversation_id, created_at DESC)): 50-80% faster', faster(m.composite), [0.5, 0.8], show.pct),
      higherIsBetter('partial index (posts(user_id, created_at DESC) WHERE deleted_at IS NULL): 50-80% faster', faster(m.partial), [0.5, 0.8], show.pct),
    ], { ...values, partialBeforeMs: m.partial.beforeP50Ms, partialAfterMs: m.partial.afterP50Ms, compositeBeforeMs: m.composite.beforeP50Ms, compositeAfterMs: m.composite.afterP50Ms }),
  ];
}

async function timed(ctx: AssessContext, sw: keyof Switches, sql: string, params: unknown[], runs: number, others: Partial<Switches> = {}): Promise<IndexTiming> {
  const before = await ctx.withSwitches({ ...others, [sw]: false }, () => timeSql(ctx, sql, params, runs));
  const after = await ctx.withSwitches({ ...others, [sw]: true }, () => timeSql(ctx, sql, params, runs));
  return { beforeP50Ms: before.p50, afterP50Ms: after.p50 };
}

/** NF-13 (the four NewFeed indexes) and LC-3 (a single, a composite and a partial index). */
export const nf13NewfeedIndexes: ClaimProbe = {
  id: 'nf-13-newfeed-indexes',
  claimIds: ['NF-13', 'LC-3'],
  description: 'times the queries each index is for with its switch off, then on',
  profiles: ['smoke', 'full'],
  async run(ctx) {
    const topPost = await ctx.db.query<{ post_id: string }>('SELECT post_id FROM comments GROUP BY post_id ORDER BY count(*) DESC LIMIT 1');
    const topAuthor = await ctx.db.query<{ author_id: string }>('SELECT author_id FROM comments GROUP BY author_id ORDER BY count(*) DESC LIMIT 1');
    const runs = n(ctx, 10, 50);
    const user = heavyUser(ctx, 'small');
    const conv = [...ctx.dataset.heavyConversations].sort((a, b) => Math.abs(a.messages - 10_000) - Math.abs(b.messages - 10_000))[0];
    const commentsPostId = await timed(ctx, 'idx-newfeed', SQL.comments_by_post, [Number(topPost.rows[0]?.post_id ?? 1), 20], runs);
    const commentsAuthorId = await timed(ctx, 'idx-newfeed', SQL.comments_by_author, [Number(topAuthor.rows[0]?.author_id ?? 1), 50], runs);
    const postsCreatedAt = await timed(ctx, 'idx-newfeed', SQL.recent_posts, [50], runs);
    const plan = await ctx.withSwitches({ 'idx-posts-user-created': false }, () => planNodes(ctx, SQL.get_user_posts, [user.id]));
    const postsAuthorIdUsed = plan.some((p) => /Index|Bitmap/.test(p['Node Type']));
    const partial = await timed(ctx, 'idx-posts-user-created', SQL.get_user_posts, [user.id], Math.min(runs, 5), { 'idx-newfeed': false });
    const composite = conv ? await timed(ctx, 'idx-messages-conversation-created', SQL.get_message_history, [conv.id, 50, 0], runs) : { beforeP50Ms: Number.NaN, afterP50Ms: Number.NaN };
    return judgeNf13({ runs, commentsPostId, commentsAuthorId, postsCreatedAt, postsAuthorIdUsed, partial, composite });
  },
};
