-- NF-13: posts(created_at DESC) for recent-post and trending queries.
-- up
CREATE INDEX IF NOT EXISTS posts_created_at_idx ON posts (created_at DESC);
-- down
DROP INDEX IF EXISTS posts_created_at_idx;
