/**
 * Feed cache keys, shared with the users service (a follow drops the follower's pages).
 * `feed:<userId>:<cursor>:<limit>`: the page size is part of the key so two clients asking for
 * different sizes never get each other's pages; every key of a user starts with feedKeyPrefix.
 */
import type { ServiceContext } from '../../shared/context.ts';
import { deleteByPrefix } from '../../shared/cache.ts';
import { staleKeyOf } from './stampede.ts';

export const FEED_TTL_S = 2 * 60;

export const feedKeyPrefix = (userId: number): string => `feed:${userId}:`;

export const feedKey = (userId: number, cursorKey: string, limit: number): string => `${feedKeyPrefix(userId)}${cursorKey}:${limit}`;

/**
 * Drops a user's cached feed pages and their stampede-lock stale copies: after a follow, serving
 * the pre-follow page as "stale" would undo the invalidation.
 */
export async function invalidateFeed(ctx: Pick<ServiceContext, 'cache' | 'redis' | 'log'>, userId: number): Promise<void> {
  await ctx.cache.invalidatePrefix(feedKeyPrefix(userId));
  try {
    await deleteByPrefix(ctx.redis, staleKeyOf(feedKeyPrefix(userId)));
  } catch (err) {
    // Redis down: the cache layer already logged and fell back; the stale copies expire on their own.
    ctx.log.warn({ err: (err as Error).message, userId }, 'feed stale copies not dropped');
  }
}
