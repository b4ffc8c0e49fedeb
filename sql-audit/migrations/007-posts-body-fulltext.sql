-- CP-5, NV-12: full-text search over post bodies (GIN over the tsvector expression).
-- up
CREATE INDEX IF NOT EXISTS posts_body_fts_idx ON posts USING gin (to_tsvector('english', body)) WHERE deleted_at IS NULL;
-- down
DROP INDEX IF EXISTS posts_body_fts_idx;
