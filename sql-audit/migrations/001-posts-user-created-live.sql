-- NV-1: get_user_posts filters on user_id and deleted_at IS NULL and orders by created_at DESC.
-- A partial composite index serves it in index order: no Sort node, LIMIT stops after 20 rows.
-- up
CREATE INDEX IF NOT EXISTS posts_user_created_live_idx ON posts (user_id, created_at DESC) WHERE deleted_at IS NULL;
-- down
DROP INDEX IF EXISTS posts_user_created_live_idx;
