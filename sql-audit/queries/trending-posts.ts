import type { NamedQuery } from './types.ts';

/** NF-13, NV-4: the last day's most engaging posts (the ranking source); a range on posts(created_at DESC). */
export const trendingPosts = {
  id: 'trending_posts',
  description: 'Live posts created since a moment, ranked by likes and comments.',
  sql: `SELECT id, user_id, body, like_count, comment_count, created_at
FROM posts
WHERE deleted_at IS NULL AND created_at > $1
ORDER BY like_count + 2 * comment_count DESC, created_at DESC
LIMIT $2`,
  params: [
    // One day before the newest post, so the window holds data even in an old seed.
    { name: 'since', pgType: 'timestamptz', pick: { kind: 'sql', sql: "SELECT max(created_at) - interval '1 day' FROM posts" }, fallback: { kind: 'sql', sql: "SELECT now() - interval '1 day'" } },
    { name: 'limit', pgType: 'integer', pick: { kind: 'literal', value: 50 } },
  ],
  runsIn: { service: 'feed', trigger: 'GET /feed/trending (ranking source)' },
  claimIds: ['NF-13', 'NV-4'],
} as const satisfies NamedQuery;
