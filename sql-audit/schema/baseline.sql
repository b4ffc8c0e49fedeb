-- The platform's schema as the assessments found it: primary keys and the few single-column
-- indexes the original teams had, none of the fixes. Each fix is one file in ../migrations.
CREATE EXTENSION IF NOT EXISTS pg_stat_statements;
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE IF NOT EXISTS users (
  id            bigserial PRIMARY KEY,
  username      text NOT NULL UNIQUE,
  email         text NOT NULL UNIQUE,
  password_hash text NOT NULL,
  display_name  text NOT NULL,
  bio           text NOT NULL DEFAULT '',
  status        text NOT NULL DEFAULT 'offline',
  last_seen_at  timestamptz,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);

-- Baseline indexes follows only by followee (the "followers of X" page); the feed asks by follower.
CREATE TABLE IF NOT EXISTS follows (
  id          bigserial PRIMARY KEY,
  follower_id bigint NOT NULL REFERENCES users(id),
  followee_id bigint NOT NULL REFERENCES users(id),
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS follows_followee_idx ON follows (followee_id);

-- NV-1: "with only an index on user_id".
CREATE TABLE IF NOT EXISTS posts (
  id            bigserial PRIMARY KEY,
  user_id       bigint NOT NULL REFERENCES users(id),
  body          text NOT NULL,
  like_count    integer NOT NULL DEFAULT 0,
  comment_count integer NOT NULL DEFAULT 0,
  created_at    timestamptz NOT NULL DEFAULT now(),
  deleted_at    timestamptz
);
CREATE INDEX IF NOT EXISTS posts_user_id_idx ON posts (user_id);

-- NF-13: comments had no index on post_id or author_id.
CREATE TABLE IF NOT EXISTS comments (
  id         bigserial PRIMARY KEY,
  post_id    bigint NOT NULL REFERENCES posts(id),
  author_id  bigint NOT NULL REFERENCES users(id),
  body       text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz
);

CREATE TABLE IF NOT EXISTS conversations (
  id         bigserial PRIMARY KEY,
  created_by bigint NOT NULL REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS conversation_members (
  conversation_id bigint NOT NULL REFERENCES conversations(id),
  user_id         bigint NOT NULL REFERENCES users(id),
  joined_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (conversation_id, user_id)
);

-- NV-2: an index on conversation_id alone, so history pages sort every message of the conversation.
CREATE TABLE IF NOT EXISTS messages (
  id              bigserial PRIMARY KEY,
  conversation_id bigint NOT NULL REFERENCES conversations(id),
  sender_id       bigint NOT NULL REFERENCES users(id),
  body            text NOT NULL,
  client_ts       bigint,
  created_at      timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX IF NOT EXISTS messages_conversation_id_idx ON messages (conversation_id);

-- CP-7: no index on expires_at.
CREATE TABLE IF NOT EXISTS stories (
  id         bigserial PRIMARY KEY,
  user_id    bigint NOT NULL REFERENCES users(id),
  media_url  text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);

CREATE TABLE IF NOT EXISTS notifications (
  id         bigserial PRIMARY KEY,
  user_id    bigint NOT NULL REFERENCES users(id),
  kind       text NOT NULL,
  -- The publisher's message id: a redelivered event inserts nothing twice.
  event_id   text NOT NULL UNIQUE,
  payload    jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  read_at    timestamptz
);

-- CP-6: presence changes, one row each in baseline (a write per change).
CREATE TABLE IF NOT EXISTS presence_events (
  id         bigserial PRIMARY KEY,
  user_id    bigint NOT NULL REFERENCES users(id),
  status     text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
