-- Issue 18 (switch comments-outbox): a transactional outbox for comment.created. The comment and
-- its event row commit together; a relay publishes unsent rows with publisher confirms and marks
-- them sent, so a comment accepted while RabbitMQ is down is still notified once it is back.
-- Not an index switch's migration: the comments service applies "up" at start (idempotent and
-- additive, an empty table when the switch is off); nothing applies "down" automatically.
-- up
CREATE TABLE IF NOT EXISTS comment_outbox (
  id         bigserial PRIMARY KEY,
  comment_id bigint NOT NULL,
  -- The DomainEvent as published, with its stable id (consumers de-duplicate on it).
  event      jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  sent_at    timestamptz,
  attempts   int NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS comment_outbox_unsent_idx ON comment_outbox (id) WHERE sent_at IS NULL;
-- down
DROP TABLE IF EXISTS comment_outbox;
