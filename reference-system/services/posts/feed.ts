/**
 * The home feed: the newest live posts of everyone the caller follows (fetch_chronological_feed,
 * through follows by follower_id; with `feed-followee-merge` on, a per-followee top-N merge for
 * readers of up to MERGE_MAX_FOLLOWEES accounts and no posts query at all for a reader who follows nobody), authors hydrated, cached per page for 2 minutes (LC-1), rebuilt
 * under a lock on a miss when `stampede-lock` is on (NV-9).
 */
import type { Counter, Registry } from 'prom-client';
import { counter } from '../../shared/metrics.ts';
import type { ServiceContext } from '../../shared/context.ts';
import { cursorFor, cursorKey, nextCursor, pagingModeOf, type PageCursor } from '../common/cursor.ts';
import { toPostView, type PostRow } from '../common/rows.ts';
import { FEED_TTL_S, feedKey } from './feed-cache-keys.ts';
import { assembleFeed, loadAuthors, type FeedItem } from './hydration.ts';
import { Q } from './queries.ts';
import { loadWithStampedeLock } from './stampede.ts';

export interface FeedPage {
  items: FeedItem[];
  nextCursor: string | null;
}

export async function getFeed(ctx: ServiceContext, userId: number, limit: number, rawCursor: string | undefined): Promise<{ page: FeedPage; hit: boolean }> {
  const mode = pagingModeOf(ctx.switches);
  const cursor = cursorFor(rawCursor, mode);
  const key = feedKey(userId, cursorKey(cursor, mode), limit);
  const rebuild = async (): Promise<FeedPage> => {
    feedRebuilds(ctx.metrics).inc();
    return buildFeedPage(ctx, userId, limit, cursor);
  };
  // The lock guards cache misses; with the cache off there is nothing to stampede over, and its
  // stale and just-rebuilt copies would amount to a cache the switch says is not there.
  const underLock = ctx.switches['stampede-lock'] && ctx.switches.cache;
  const { value, hit } = await ctx.cache.getOrLoad(key, FEED_TTL_S, () => (underLock ? rebuildUnderLock(ctx, key, rebuild) : rebuild()));
  return { page: value, hit };
}

async function rebuildUnderLock(ctx: ServiceContext, key: string, rebuild: () => Promise<FeedPage>): Promise<FeedPage> {
  const { value, source } = await loadWithStampedeLock(ctx.redis, key, rebuild);
  feedMissOutcomes(ctx.metrics).inc({ source });
  return value;
}

/** One feed page straight from Postgres: the posts, then their authors. */
export async function buildFeedPage(ctx: ServiceContext, userId: number, limit: number, cursor: PageCursor | null): Promise<FeedPage> {
  const rows = await queryFeedPosts(ctx, userId, limit, cursor);
  const posts = rows.map(toPostView);
  const authors = await loadAuthors(ctx.db.forModule('hydration'), posts, ctx.switches['batched-hydration']);
  return { items: assembleFeed(posts, authors), nextCursor: nextCursor(pagingModeOf(ctx.switches), posts, limit, cursor) };
}

type Row = PostRow & Record<string, unknown>;

function queryFeedPosts(ctx: ServiceContext, userId: number, limit: number, cursor: PageCursor | null): Promise<Row[]> {
  if (ctx.switches['feed-followee-merge']) return queryFeedByFollowees(ctx, userId, limit, cursor);
  return queryFeedByTime(ctx, userId, limit, cursor);
}

/**
 * Above this many followees the time-ordered walk is the cheaper plan: its cost is about
 * limit / (share of all posts written by the followees), the merge's about followees x limit, and
 * on medium data (50k users, ~22 posts each) the two meet near sqrt(users) ~ 220 followees
 * (measured: 16 ms merge vs 1.4 s walk at 50 followees of sparse authors; 340 ms merge vs 1 ms
 * walk at 5,000 followees).
 */
export const MERGE_MAX_FOLLOWEES = 200;

async function queryFeedByFollowees(ctx: ServiceContext, userId: number, limit: number, cursor: PageCursor | null): Promise<Row[]> {
  const db = ctx.db.forModule('feed');
  const [row] = await db.query<{ n: number }>('count_followees_capped', Q.count_followees_capped, [userId, MERGE_MAX_FOLLOWEES + 1]);
  const followees = Number(row?.n ?? 0);
  // Nobody followed: an empty page, without a posts query (issue 14's hot key).
  if (followees === 0) return [];
  if (followees > MERGE_MAX_FOLLOWEES) return queryFeedByTime(ctx, userId, limit, cursor);
  if (cursor === null) return db.query<Row>('feed_followee_merge', Q.feed_followee_merge, [userId, limit]);
  if (cursor.kind === 'keyset') return db.query<Row>('feed_followee_merge_keyset', Q.feed_followee_merge_keyset, [userId, cursor.afterId, limit]);
  return db.query<Row>('feed_followee_merge_offset', Q.feed_followee_merge_offset, [userId, limit, cursor.offset]);
}

function queryFeedByTime(ctx: ServiceContext, userId: number, limit: number, cursor: PageCursor | null): Promise<Row[]> {
  const db = ctx.db.forModule('feed');
  if (cursor === null) return db.query<Row>('fetch_chronological_feed', Q.fetch_chronological_feed, [userId, limit]);
  if (cursor.kind === 'keyset') return db.query<Row>('fetch_chronological_feed_keyset', Q.fetch_chronological_feed_keyset, [userId, cursor.afterId, limit]);
  return db.query<Row>('fetch_chronological_feed_offset', Q.fetch_chronological_feed_offset, [userId, limit, cursor.offset]);
}

// counter() registers once per registry and returns the same metric after (one registry may be
// shared by every service of a one-process platform).
function feedRebuilds(registry: Registry): Counter {
  return counter(registry, { name: 'brink_feed_rebuilds_total', help: 'Feed pages built from Postgres (cache misses that reached the database)' });
}

function feedMissOutcomes(registry: Registry): Counter<'source'> {
  return counter(registry, { name: 'brink_feed_stampede_outcomes_total', help: 'How feed cache misses were answered under the stampede lock', labelNames: ['source'] });
}
