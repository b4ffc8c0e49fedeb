-- NF-13: comments(author_id) for a user's comments.
-- up
CREATE INDEX IF NOT EXISTS comments_author_id_idx ON comments (author_id);
-- down
DROP INDEX IF EXISTS comments_author_id_idx;
