/**
 * Creating and soft-deleting posts. A delete sets deleted_at (rows are never removed) and is the
 * author's alone. Caches: a delete drops the post's comment pages; feed pages and search results
 * holding the post expire with their TTLs (2 and 5 minutes, LC-1) because finding every follower's
 * feed page would cost a fan-out as large as the author's follower count.
 */
import { ApiError } from '../../shared/api-errors.ts';
import type { ServiceContext } from '../../shared/context.ts';
import { toIso, toId, type PgId, type PgTime, type PostView } from '../common/rows.ts';
import { commentsKeyPrefix } from '../comments/comments-cache-keys.ts';
import { Q } from './queries.ts';

export async function createPost(ctx: ServiceContext, authorId: number, body: string): Promise<PostView> {
  const db = ctx.db.forModule('posts');
  try {
    const rows = await db.query<{ id: PgId; created_at: PgTime }>('insert_post', Q.insert_post, [authorId, body]);
    const r = rows[0]!;
    return { id: toId(r.id), authorId, body, likeCount: 0, commentCount: 0, createdAt: toIso(r.created_at)! };
  } catch (err) {
    if ((err as { code?: string }).code === '23503') throw new ApiError('NOT_FOUND', `user ${authorId} (the caller) does not exist`);
    throw err;
  }
}

export async function deletePost(ctx: ServiceContext, callerId: number, postId: number): Promise<void> {
  const db = ctx.db.forModule('posts');
  const deleted = await db.query('soft_delete_post', Q.soft_delete_post, [postId, callerId]);
  if (deleted.length === 0) await explainNothingDeleted(ctx, callerId, postId);
  await ctx.cache.invalidatePrefix(commentsKeyPrefix(postId));
}

/** soft_delete_post touched no row: say whether the post is missing (404) or someone else's (403). */
async function explainNothingDeleted(ctx: ServiceContext, callerId: number, postId: number): Promise<never> {
  const rows = await ctx.db.forModule('posts').query<{ user_id: PgId; deleted_at: PgTime | null }>('post_owner', Q.post_owner, [postId]);
  const row = rows[0];
  if (!row || row.deleted_at !== null) throw new ApiError('NOT_FOUND', `post ${postId} does not exist`);
  throw new ApiError('FORBIDDEN', `user ${callerId} cannot delete post ${postId} of user ${toId(row.user_id)}`);
}
