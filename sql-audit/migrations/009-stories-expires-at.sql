-- CP-7: expired-story cleanup finds rows by expires_at.
-- up
CREATE INDEX IF NOT EXISTS stories_expires_at_idx ON stories (expires_at);
-- down
DROP INDEX IF EXISTS stories_expires_at_idx;
