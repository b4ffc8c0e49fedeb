/**
 * The SQL the comments service runs. comments_by_post is the catalog's text, verbatim; the others
 * are this service's own, not (yet) in the catalog.
 */
import { SQL } from '../../../sql-audit/index.ts';

export const Q = {
  /** Catalog: the first page of a post's comments, newest first (NF-13). */
  comments_by_post: SQL.comments_by_post,

  /** Keyset page after comment $2 (its exact created_at read from the row; ties broken by id). */
  comments_by_post_keyset: `WITH c AS (SELECT created_at, id FROM comments WHERE id = $2)
SELECT m.id, m.post_id, m.author_id, m.body, m.created_at
FROM comments m, c
WHERE m.post_id = $1 AND m.deleted_at IS NULL
  AND m.created_at <= c.created_at AND (m.created_at < c.created_at OR m.id < c.id)
ORDER BY m.created_at DESC, m.id DESC
LIMIT $3`,

  /** Baseline paging: OFFSET. */
  comments_by_post_offset: `SELECT id, post_id, author_id, body, created_at
FROM comments
WHERE post_id = $1 AND deleted_at IS NULL
ORDER BY created_at DESC, id DESC
LIMIT $2 OFFSET $3`,

  /** Asked on each cache miss: a missing or deleted post's comments answer 404. */
  live_post_exists: `SELECT 1 AS one FROM posts WHERE id = $1 AND deleted_at IS NULL`,

  /**
   * Counts the comment and, in the same statement, proves the post exists and is live and returns
   * its author (the event's recipient). The row lock it takes lasts until the insert commits.
   */
  increment_comment_count: `UPDATE posts SET comment_count = comment_count + 1
WHERE id = $1 AND deleted_at IS NULL
RETURNING user_id`,

  insert_comment: `INSERT INTO comments (post_id, author_id, body)
VALUES ($1, $2, $3)
RETURNING id, post_id, author_id, body, created_at`,
} as const;
