import type { NamedQuery } from './types.ts';

/** NV-3: the home feed, posts of everyone the reader follows. Baseline indexes follows only by followee_id. */
export const fetchChronologicalFeed = {
  id: 'fetch_chronological_feed',
  description: 'The newest live posts of the accounts a user follows (chronological home feed).',
  sql: `SELECT p.id, p.user_id, p.body, p.like_count, p.comment_count, p.created_at
FROM follows f
JOIN posts p ON p.user_id = f.followee_id
WHERE f.follower_id = $1 AND p.deleted_at IS NULL
ORDER BY p.created_at DESC
LIMIT $2`,
  params: [
    {
      name: 'follower_id',
      pgType: 'bigint',
      pick: { kind: 'sql', sql: 'SELECT follower_id FROM follows GROUP BY follower_id ORDER BY count(*) DESC, follower_id LIMIT 1' },
      fallback: { kind: 'literal', value: 1 },
    },
    { name: 'limit', pgType: 'integer', pick: { kind: 'literal', value: 50 } },
  ],
  runsIn: { service: 'feed', trigger: 'GET /feed (cache miss)' },
  claimIds: ['NV-3', 'NV-10'],
} as const satisfies NamedQuery;
