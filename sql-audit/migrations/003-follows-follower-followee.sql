-- NV-3: the chronological feed joins follows by follower_id.
-- up
CREATE UNIQUE INDEX IF NOT EXISTS follows_follower_followee_idx ON follows (follower_id, followee_id);
-- down
DROP INDEX IF EXISTS follows_follower_followee_idx;
