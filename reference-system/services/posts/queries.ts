/**
 * The SQL the posts service runs. Catalog queries (sql-audit/catalog.ts) are used verbatim so the
 * audit explains what runs; the ones below are this service's own, not (yet) in the catalog.
 */
import { SQL } from '../../../sql-audit/index.ts';

export const Q = {
  /** Catalog: create a post. */
  insert_post: SQL.insert_post,
  /** Catalog: the first page of the home feed (NV-3). */
  fetch_chronological_feed: SQL.fetch_chronological_feed,
  /** Catalog: a page's authors in one round trip (batched-hydration on). */
  hydrate_authors: SQL.hydrate_authors,
  /** Catalog: one author per post (batched-hydration off, N+1). */
  hydrate_author: SQL.hydrate_author,
  /** Catalog: the ranking source (NV-4). */
  trending_posts: SQL.trending_posts,

  /** Soft delete by the author only; 0 rows means missing, already deleted, or someone else's. */
  soft_delete_post: `UPDATE posts SET deleted_at = now()
WHERE id = $1 AND user_id = $2 AND deleted_at IS NULL
RETURNING id`,

  /** Tells a missing post (404) from someone else's (403) after soft_delete_post touched nothing. */
  post_owner: `SELECT user_id, deleted_at FROM posts WHERE id = $1`,

  /** Keyset feed page after post $2 (its exact created_at read from the row; ties broken by id). */
  fetch_chronological_feed_keyset: `WITH c AS (SELECT created_at, id FROM posts WHERE id = $2)
SELECT p.id, p.user_id, p.body, p.like_count, p.comment_count, p.created_at
FROM follows f
JOIN posts p ON p.user_id = f.followee_id
CROSS JOIN c
WHERE f.follower_id = $1 AND p.deleted_at IS NULL
  AND p.created_at <= c.created_at AND (p.created_at < c.created_at OR p.id < c.id)
ORDER BY p.created_at DESC, p.id DESC
LIMIT $3`,

  /**
   * `feed-followee-merge` (issue 14): each followee's newest live posts through
   * posts(user_id, created_at DESC) WHERE deleted_at IS NULL, at most $2 each, merged. The cost
   * is followees x page size index rows, not "posts by time until the page is full": the
   * follows-join walked 1.05M index rows (1.4 s) for a reader who follows nobody.
   */
  feed_followee_merge: `SELECT p.id, p.user_id, p.body, p.like_count, p.comment_count, p.created_at
FROM follows f
CROSS JOIN LATERAL (
  SELECT id, user_id, body, like_count, comment_count, created_at FROM posts
  WHERE user_id = f.followee_id AND deleted_at IS NULL
  ORDER BY created_at DESC
  LIMIT $2
) p
WHERE f.follower_id = $1
ORDER BY p.created_at DESC, p.id DESC
LIMIT $2`,

  /** How many accounts $1 follows, counted up to $2 (the merge-or-walk decision needs no more). */
  count_followees_capped: `SELECT count(*)::int AS n FROM (SELECT 1 FROM follows WHERE follower_id = $1 LIMIT $2) f`,

  /** The merge after post $2 (keyset paging). */
  feed_followee_merge_keyset: `WITH c AS (SELECT created_at, id FROM posts WHERE id = $2)
SELECT p.id, p.user_id, p.body, p.like_count, p.comment_count, p.created_at
FROM follows f
CROSS JOIN c
CROSS JOIN LATERAL (
  SELECT id, user_id, body, like_count, comment_count, created_at FROM posts
  WHERE user_id = f.followee_id AND deleted_at IS NULL
    AND created_at <= c.created_at AND (created_at < c.created_at OR id < c.id)
  ORDER BY created_at DESC
  LIMIT $3
) p
WHERE f.follower_id = $1
ORDER BY p.created_at DESC, p.id DESC
LIMIT $3`,

  /** The merge with OFFSET paging (each followee contributes at most limit + offset). */
  feed_followee_merge_offset: `SELECT p.id, p.user_id, p.body, p.like_count, p.comment_count, p.created_at
FROM follows f
CROSS JOIN LATERAL (
  SELECT id, user_id, body, like_count, comment_count, created_at FROM posts
  WHERE user_id = f.followee_id AND deleted_at IS NULL
  ORDER BY created_at DESC
  LIMIT $2 + $3
) p
WHERE f.follower_id = $1
ORDER BY p.created_at DESC, p.id DESC
LIMIT $2 OFFSET $3`,

  /** Baseline feed paging: OFFSET. */
  fetch_chronological_feed_offset: `SELECT p.id, p.user_id, p.body, p.like_count, p.comment_count, p.created_at
FROM follows f
JOIN posts p ON p.user_id = f.followee_id
WHERE f.follower_id = $1 AND p.deleted_at IS NULL
ORDER BY p.created_at DESC, p.id DESC
LIMIT $2 OFFSET $3`,
} as const;
