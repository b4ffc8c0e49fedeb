-- CP-5: LIKE '%q%' cannot use a b-tree; a trigram GIN index can.
-- up
CREATE INDEX IF NOT EXISTS users_username_trgm_idx ON users USING gin (username gin_trgm_ops);
CREATE INDEX IF NOT EXISTS users_display_name_trgm_idx ON users USING gin (display_name gin_trgm_ops);
-- down
DROP INDEX IF EXISTS users_username_trgm_idx;
DROP INDEX IF EXISTS users_display_name_trgm_idx;
