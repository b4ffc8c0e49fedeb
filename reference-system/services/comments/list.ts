/**
 * A post's comments, newest first (comments_by_post), cached 3 minutes per page (LC-1). Each miss
 * first checks the post is live (a primary-key lookup), so a missing or deleted post is a 404, not
 * an empty or orphaned list; that answer is not cached (the loader throws).
 */
import { ApiError } from '../../shared/api-errors.ts';
import type { ServiceContext } from '../../shared/context.ts';
import { cursorFor, cursorKey, nextCursor, pagingModeOf, type PageCursor } from '../common/cursor.ts';
import { COMMENTS_TTL_S, commentsKey } from './comments-cache-keys.ts';
import { Q } from './queries.ts';
import { toCommentView, type CommentRow, type CommentView } from './rows.ts';

export interface CommentsPage {
  items: CommentView[];
  nextCursor: string | null;
}

export async function listComments(ctx: ServiceContext, postId: number, limit: number, rawCursor: string | undefined): Promise<{ page: CommentsPage; hit: boolean }> {
  const mode = pagingModeOf(ctx.switches);
  const cursor = cursorFor(rawCursor, mode);
  const { value, hit } = await ctx.cache.getOrLoad(commentsKey(postId, cursorKey(cursor, mode), limit), COMMENTS_TTL_S, async () => {
    // comments_by_post does not look at the post: a deleted post's comments must not stay readable.
    await requireLivePost(ctx, postId);
    const rows = await queryComments(ctx, postId, limit, cursor);
    const items = rows.map(toCommentView);
    return { items, nextCursor: nextCursor(mode, items, limit, cursor) };
  });
  return { page: value, hit };
}

async function requireLivePost(ctx: ServiceContext, postId: number): Promise<void> {
  const rows = await ctx.db.forModule('comments').query('live_post_exists', Q.live_post_exists, [postId]);
  if (rows.length === 0) throw new ApiError('NOT_FOUND', `post ${postId} does not exist`);
}

type Row = CommentRow & Record<string, unknown>;

function queryComments(ctx: ServiceContext, postId: number, limit: number, cursor: PageCursor | null): Promise<Row[]> {
  const db = ctx.db.forModule('comments');
  if (cursor === null) return db.query<Row>('comments_by_post', Q.comments_by_post, [postId, limit]);
  if (cursor.kind === 'keyset') return db.query<Row>('comments_by_post_keyset', Q.comments_by_post_keyset, [postId, cursor.afterId, limit]);
  return db.query<Row>('comments_by_post_offset', Q.comments_by_post_offset, [postId, limit, cursor.offset]);
}
