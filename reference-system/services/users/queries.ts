/**
 * The SQL the users service runs. Catalog queries (sql-audit/catalog.ts) are used verbatim so the
 * audit explains what runs; the ones below are this service's own, not (yet) in the catalog.
 * Every value is a bind parameter.
 */
import { SQL } from '../../../sql-audit/index.ts';

export const Q = {
  /** Catalog: the profile read the cache fronts (LC-1). */
  get_user_profile: SQL.get_user_profile,
  /** Catalog: the first page of a user's posts at the default page size (NV-1). */
  get_user_posts: SQL.get_user_posts,

  update_user_profile: `UPDATE users
SET display_name = COALESCE($2, display_name), bio = COALESCE($3, bio), updated_at = now()
WHERE id = $1
RETURNING id, username, display_name, bio, status, last_seen_at, created_at`,

  user_exists: `SELECT 1 AS one FROM users WHERE id = $1`,

  /**
   * The baseline schema has no unique (follower_id, followee_id) index (migration 003 adds one), so
   * a duplicate is prevented by the NOT EXISTS; with the index on, a concurrent duplicate raises 23505.
   */
  follow_user: `INSERT INTO follows (follower_id, followee_id)
SELECT $1, $2
WHERE NOT EXISTS (SELECT 1 FROM follows WHERE follower_id = $1 AND followee_id = $2)
RETURNING id`,

  unfollow_user: `DELETE FROM follows WHERE follower_id = $1 AND followee_id = $2 RETURNING id`,

  /** First page at a page size other than the catalog's 20. */
  get_user_posts_head: `SELECT id, user_id, body, like_count, comment_count, created_at
FROM posts
WHERE user_id = $1 AND deleted_at IS NULL
ORDER BY created_at DESC, id DESC
LIMIT $2`,

  /**
   * Keyset page after post $2: its exact created_at comes from the row itself. `created_at <= c`
   * is the indexable bound on posts(user_id, created_at DESC); the OR breaks ties by id.
   */
  get_user_posts_keyset: `WITH c AS (SELECT created_at, id FROM posts WHERE id = $2)
SELECT p.id, p.user_id, p.body, p.like_count, p.comment_count, p.created_at
FROM posts p, c
WHERE p.user_id = $1 AND p.deleted_at IS NULL
  AND p.created_at <= c.created_at AND (p.created_at < c.created_at OR p.id < c.id)
ORDER BY p.created_at DESC, p.id DESC
LIMIT $3`,

  /** Baseline paging: OFFSET reads and discards every earlier row. */
  get_user_posts_offset: `SELECT id, user_id, body, like_count, comment_count, created_at
FROM posts
WHERE user_id = $1 AND deleted_at IS NULL
ORDER BY created_at DESC, id DESC
LIMIT $2 OFFSET $3`,
} as const;

export type UsersQueryName = keyof typeof Q;

/** The catalog's get_user_posts has a literal LIMIT 20: used when a client asks for exactly that. */
export const CATALOG_USER_POSTS_LIMIT = 20;
