/**
 * Follow and unfollow. A new follow publishes `follow.created` to the followee and drops the
 * follower's cached feed pages (their feed now includes someone else's posts).
 */
import { ApiError } from '../../shared/api-errors.ts';
import type { ServiceContext } from '../../shared/context.ts';
import { invalidateFeed } from '../posts/feed-cache-keys.ts';
import { Q } from './queries.ts';

export interface FollowResult {
  following: boolean;
  /** False when the follow already existed (or, on DELETE, did not). */
  changed: boolean;
  /** Whether the follow.created event reached the broker (absent when nothing was published). */
  eventPublished?: boolean;
}

const FOREIGN_KEY_VIOLATION = '23503';
const UNIQUE_VIOLATION = '23505';

function selfFollow(): ApiError {
  return new ApiError('VALIDATION_FAILED', 'a user cannot follow themselves', 'id');
}

export async function follow(ctx: ServiceContext, followerId: number, followeeId: number): Promise<FollowResult> {
  if (followerId === followeeId) throw selfFollow();
  const db = ctx.db.forModule('follows');
  let created: boolean;
  try {
    const rows = await db.query('follow_user', Q.follow_user, [followerId, followeeId]);
    created = rows.length === 1;
  } catch (err) {
    const e = err as { code?: string; constraint?: string };
    // With migration 003's unique index, a concurrent duplicate follow loses the race here.
    if (e.code === UNIQUE_VIOLATION) created = false;
    else if (e.code === FOREIGN_KEY_VIOLATION && e.constraint?.includes('followee')) throw new ApiError('NOT_FOUND', `user ${followeeId} does not exist`);
    else if (e.code === FOREIGN_KEY_VIOLATION) throw new ApiError('NOT_FOUND', `user ${followerId} (the caller) does not exist`);
    else throw err;
  }
  if (!created) return { following: true, changed: false };
  await invalidateFeed(ctx, followerId);
  const eventPublished = await publishFollowCreated(ctx, followerId, followeeId);
  return { following: true, changed: true, eventPublished };
}

export async function unfollow(ctx: ServiceContext, followerId: number, followeeId: number): Promise<FollowResult> {
  if (followerId === followeeId) throw selfFollow();
  const db = ctx.db.forModule('follows');
  const rows = await db.query<{ id: string }>('unfollow_user', Q.unfollow_user, [followerId, followeeId]);
  if (rows.length > 0) await invalidateFeed(ctx, followerId);
  return { following: false, changed: rows.length > 0 };
}

/**
 * The follow is committed before the event is published; if the broker is down the follow still
 * stands and the answer says the notification was not sent, rather than failing a done write.
 */
async function publishFollowCreated(ctx: ServiceContext, followerId: number, followeeId: number): Promise<boolean> {
  try {
    await ctx.publish({ type: 'follow.created', recipients: [followeeId], payload: { followerId, followeeId } });
    return true;
  } catch (err) {
    ctx.log.warn({ err, followerId, followeeId }, 'follow.created not published');
    return false;
  }
}
