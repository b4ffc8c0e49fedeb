/**
 * A baseline-schema dataset for the analyzers' integration tests and bench, built with
 * INSERT ... SELECT generate_series so it does not depend on the seed: user 1 has `heavyPosts`
 * posts (2% soft-deleted), user 2 `mediumPosts`; each body ends in a
 * word made of the row number's digits as letters (a specific search term); conversation 1 has `heavyMessages` messages,
 * conversation 2 `mediumMessages`; 2,000 users with 20 posts each besides. Deterministic.
 * Only for databases brink created itself (createDatabase): it writes.
 */
import type pg from 'pg';

export interface TestDataOptions {
  heavyPosts: number;
  mediumPosts: number;
  heavyMessages: number;
  mediumMessages: number;
  /** Write dataset_info like the seed does (heavyUsers, heavyConversations). */
  datasetInfo: boolean;
}

export const DEFAULT_TEST_DATA: TestDataOptions = { heavyPosts: 100_000, mediumPosts: 10_000, heavyMessages: 20_000, mediumMessages: 2_000, datasetInfo: true };

const USERS = 2_000;

export async function loadTestData(client: pg.Client, o: TestDataOptions = DEFAULT_TEST_DATA): Promise<void> {
  const words = "(ARRAY['coffee','travel','music','code','football','garden','cinema','books'])";
  await client.query(`INSERT INTO users (id, username, email, password_hash, display_name)
    SELECT i, 'user' || i, 'user' || i || '@example.test', 'x', 'User ' || i FROM generate_series(1, ${USERS}) i`);
  await client.query(`SELECT setval('users_id_seq', ${USERS})`);
  // Posts: heavy user 1, medium user 2, then 20 per other user; one per minute back from a fixed moment.
  const post = (userExpr: string, n: string) => `INSERT INTO posts (user_id, body, like_count, comment_count, created_at, deleted_at)
    SELECT ${userExpr}, 'post ' || i || ' about ' || ${words}[1 + i % 8] || ' ' || translate((i + 10000)::text, '0123456789', 'abcdefghij'), i % 97, i % 13,
      timestamptz '2026-01-01' - i * interval '1 minute',
      CASE WHEN i % 50 = 0 THEN timestamptz '2026-01-02' END
    FROM generate_series(1, ${n}) i`;
  await client.query(post('1', String(o.heavyPosts)));
  await client.query(post('2', String(o.mediumPosts)));
  await client.query(post(`3 + (i % ${USERS - 2})`, String((USERS - 2) * 20)));
  // Follows: user 1 follows 500 accounts; every other user follows one (unique pairs, as migration 003 requires).
  await client.query('INSERT INTO follows (follower_id, followee_id) SELECT 1, i FROM generate_series(2, 501) i');
  await client.query(`INSERT INTO follows (follower_id, followee_id) SELECT i, 1 + (i * 7) % ${USERS} FROM generate_series(2, ${USERS}) i WHERE 1 + (i * 7) % ${USERS} <> i`);
  await client.query(`INSERT INTO conversations (id, created_by) SELECT i, i FROM generate_series(1, 10) i`);
  await client.query(`SELECT setval('conversations_id_seq', 10)`);
  await client.query('INSERT INTO conversation_members (conversation_id, user_id) SELECT c, u FROM generate_series(1, 10) c, generate_series(1, 5) u');
  const msgs = (conv: number, n: number) => `INSERT INTO messages (conversation_id, sender_id, body, client_ts, created_at)
    SELECT ${conv}, 1 + i % 5, 'message ' || i, i, timestamptz '2026-01-01' - i * interval '1 second' FROM generate_series(1, ${n}) i`;
  await client.query(msgs(1, o.heavyMessages));
  await client.query(msgs(2, o.mediumMessages));
  for (let c = 3; c <= 10; c++) await client.query(msgs(c, 100));
  await client.query(`INSERT INTO comments (post_id, author_id, body, created_at)
    SELECT 1 + i % 500, 1 + i % ${USERS}, 'comment ' || i, timestamptz '2026-01-01' - i * interval '1 minute' FROM generate_series(1, 20000) i`);
  await client.query(`INSERT INTO stories (user_id, media_url, expires_at)
    SELECT 1 + i % ${USERS}, 'https://media.example.test/' || i, timestamptz '2026-01-01' + (i - 2500) * interval '1 minute' FROM generate_series(1, 5000) i`);
  if (o.datasetInfo) {
    await client.query('CREATE TABLE IF NOT EXISTS dataset_info (key text PRIMARY KEY, value jsonb NOT NULL)');
    const info = {
      scale: 'analyzers-test',
      seed: 0,
      users: USERS,
      posts: o.heavyPosts + o.mediumPosts + (USERS - 2) * 20,
      heavyUsers: [{ id: 2, posts: o.mediumPosts }, { id: 1, posts: o.heavyPosts }],
      heavyConversations: [{ id: 2, messages: o.mediumMessages }, { id: 1, messages: o.heavyMessages }],
    };
    await client.query("INSERT INTO dataset_info (key, value) VALUES ('dataset', $1) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value", [JSON.stringify(info)]);
  }
  await client.query('ANALYZE');
}
