-- NV-2, CP-3: message history pages by (conversation_id, created_at DESC) with a cursor.
-- up
CREATE INDEX IF NOT EXISTS messages_conversation_created_idx ON messages (conversation_id, created_at DESC, id DESC);
-- down
DROP INDEX IF EXISTS messages_conversation_created_idx;
