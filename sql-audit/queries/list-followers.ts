import type { NamedQuery } from './types.ts';

/** The "followers of X" page, the one follows query the baseline index (followee_id) was made for. */
export const listFollowers = {
  id: 'list_followers',
  description: "A user's followers, newest first.",
  sql: `SELECT follower_id, created_at
FROM follows
WHERE followee_id = $1
ORDER BY created_at DESC
LIMIT $2`,
  params: [
    {
      name: 'followee_id',
      pgType: 'bigint',
      pick: { kind: 'sql', sql: 'SELECT followee_id FROM follows GROUP BY followee_id ORDER BY count(*) DESC, followee_id LIMIT 1' },
      fallback: { kind: 'literal', value: 1 },
    },
    { name: 'limit', pgType: 'integer', pick: { kind: 'literal', value: 50 } },
  ],
  runsIn: { service: 'user', trigger: 'GET /users/:id/followers' },
} as const satisfies NamedQuery;
