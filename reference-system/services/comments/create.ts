/**
 * Adding a comment: in one transaction, bump posts.comment_count (which also proves the post is
 * live and names its author) and insert the comment; then drop the post's cached comment pages and
 * publish `comment.created` to the post's author (not when authors comment on their own post).
 * Publisher confirms are the framework's; if the broker is down the comment still stands and the
 * answer says the event was not published.
 * With `comments-outbox` on, the event row is inserted in the same transaction (outbox.ts) and
 * published from it at once; if the broker is down the answer says eventQueued and the relay
 * publishes it when the broker is back, so the author is notified all the same.
 */
import { ApiError } from '../../shared/api-errors.ts';
import type { ServiceContext } from '../../shared/context.ts';
import { toId, type PgId } from '../common/rows.ts';
import { commentsKeyPrefix } from './comments-cache-keys.ts';
import { OUTBOX_SQL, type OutboxEvent, type OutboxRelay } from './outbox.ts';
import { Q } from './queries.ts';
import { toCommentView, type CommentRow, type CommentView } from './rows.ts';

export interface CreatedComment {
  comment: CommentView;
  /** Absent when no event was due (a comment on one's own post). */
  eventPublished?: boolean;
  /** comments-outbox: not published yet, but stored with the comment; the relay will publish it. */
  eventQueued?: boolean;
}

export async function createComment(ctx: ServiceContext, postId: number, authorId: number, body: string, outbox?: OutboxRelay): Promise<CreatedComment> {
  const useOutbox = outbox !== undefined && ctx.switches['comments-outbox'];
  const { comment, postAuthorId, outboxId } = await insertComment(ctx, postId, authorId, body, useOutbox);
  await ctx.cache.invalidatePrefix(commentsKeyPrefix(postId));
  if (postAuthorId === authorId) return { comment };
  if (outboxId !== undefined) {
    const published = await outbox!.publishNow(outboxId);
    if (!published) outbox!.kick();
    return published ? { comment, eventPublished: true } : { comment, eventPublished: false, eventQueued: true };
  }
  return { comment, eventPublished: await publishCommentCreated(ctx, comment, postAuthorId) };
}

function commentCreated(comment: CommentView, postAuthorId: number): OutboxEvent {
  return {
    // Stable: a relayed row published twice is stored once (notifications.event_id is unique).
    // The creation time too: a re-seed restarts comment ids, and must not make a new comment's
    // event look like an old one's.
    id: `comment.created:${comment.id}:${comment.createdAt}`,
    type: 'comment.created',
    recipients: [postAuthorId],
    payload: { commentId: comment.id, postId: comment.postId, authorId: comment.authorId, createdAt: comment.createdAt },
  };
}

async function insertComment(
  ctx: ServiceContext,
  postId: number,
  authorId: number,
  body: string,
  withOutbox: boolean,
): Promise<{ comment: CommentView; postAuthorId: number; outboxId?: number }> {
  try {
    return await ctx.db.forModule('comments').transaction(async (tx) => {
      const posts = await tx.query<{ user_id: PgId }>('increment_comment_count', Q.increment_comment_count, [postId]);
      if (posts.length === 0) throw new ApiError('NOT_FOUND', `post ${postId} does not exist`);
      const rows = await tx.query<CommentRow & Record<string, unknown>>('insert_comment', Q.insert_comment, [postId, authorId, body]);
      const comment = toCommentView(rows[0]!);
      const postAuthorId = toId(posts[0]!.user_id);
      if (!withOutbox || postAuthorId === authorId) return { comment, postAuthorId };
      const [row] = await tx.query<{ id: PgId }>('outbox_insert', OUTBOX_SQL.insert, [comment.id, JSON.stringify(commentCreated(comment, postAuthorId))]);
      return { comment, postAuthorId, outboxId: toId(row!.id) };
    });
  } catch (err) {
    if ((err as { code?: string }).code === '23503') throw new ApiError('NOT_FOUND', `user ${authorId} (the caller) does not exist`);
    throw err;
  }
}

async function publishCommentCreated(ctx: ServiceContext, comment: CommentView, postAuthorId: number): Promise<boolean> {
  try {
    const { id: _stable, ...event } = commentCreated(comment, postAuthorId);
    await ctx.publish(event);
    return true;
  } catch (err) {
    ctx.log.warn({ err, commentId: comment.id, postId: comment.postId }, 'comment.created not published');
    return false;
  }
}
