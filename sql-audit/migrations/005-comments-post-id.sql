-- NF-13: comments(post_id) for a post's comment list.
-- up
CREATE INDEX IF NOT EXISTS comments_post_id_idx ON comments (post_id, created_at DESC);
-- down
DROP INDEX IF EXISTS comments_post_id_idx;
