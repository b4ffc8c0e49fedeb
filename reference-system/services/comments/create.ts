/**
 * Adding a comment: in one transaction, bump posts.comment_count (which also proves the post is
 * live and names its author) and insert the comment; then drop the post's cached comment pages and
 * publish `comment.created` to the post's author (not when authors comment on their own post).
 * Publisher confirms are the framework's; if the broker is down the comment still stands and the
 * answer says the event was not published.
 */
import { ApiError } from '../../shared/api-errors.ts';
import type { ServiceContext } from '../../shared/context.ts';
import { toId, type PgId } from '../common/rows.ts';
import { commentsKeyPrefix } from './comments-cache-keys.ts';
import { Q } from './queries.ts';
import { toCommentView, type CommentRow, type CommentView } from './rows.ts';

export interface CreatedComment {
  comment: CommentView;
  /** Absent when no event was due (a comment on one's own post). */
  eventPublished?: boolean;
}

export async function createComment(ctx: ServiceContext, postId: number, authorId: number, body: string): Promise<CreatedComment> {
  const { comment, postAuthorId } = await insertComment(ctx, postId, authorId, body);
  await ctx.cache.invalidatePrefix(commentsKeyPrefix(postId));
  if (postAuthorId === authorId) return { comment };
  return { comment, eventPublished: await publishCommentCreated(ctx, comment, postAuthorId) };
}

async function insertComment(ctx: ServiceContext, postId: number, authorId: number, body: string): Promise<{ comment: CommentView; postAuthorId: number }> {
  try {
    return await ctx.db.forModule('comments').transaction(async (tx) => {
      const posts = await tx.query<{ user_id: PgId }>('increment_comment_count', Q.increment_comment_count, [postId]);
      if (posts.length === 0) throw new ApiError('NOT_FOUND', `post ${postId} does not exist`);
      const rows = await tx.query<CommentRow & Record<string, unknown>>('insert_comment', Q.insert_comment, [postId, authorId, body]);
      return { comment: toCommentView(rows[0]!), postAuthorId: toId(posts[0]!.user_id) };
    });
  } catch (err) {
    if ((err as { code?: string }).code === '23503') throw new ApiError('NOT_FOUND', `user ${authorId} (the caller) does not exist`);
    throw err;
  }
}

async function publishCommentCreated(ctx: ServiceContext, comment: CommentView, postAuthorId: number): Promise<boolean> {
  try {
    await ctx.publish({
      type: 'comment.created',
      recipients: [postAuthorId],
      payload: { commentId: comment.id, postId: comment.postId, authorId: comment.authorId, createdAt: comment.createdAt },
    });
    return true;
  } catch (err) {
    ctx.log.warn({ err, commentId: comment.id, postId: comment.postId }, 'comment.created not published');
    return false;
  }
}
