import type { NamedQuery } from './types.ts';

/** NF-13: the global newest-posts list; needs posts(created_at DESC) to stop after LIMIT rows. */
export const recentPosts = {
  id: 'recent_posts',
  description: 'The newest live posts of everyone (explore page).',
  sql: `SELECT id, user_id, body, like_count, comment_count, created_at
FROM posts
WHERE deleted_at IS NULL
ORDER BY created_at DESC
LIMIT $1`,
  params: [{ name: 'limit', pgType: 'integer', pick: { kind: 'literal', value: 50 } }],
  runsIn: { service: 'content', trigger: 'GET /posts/recent' },
  claimIds: ['NF-13'],
} as const satisfies NamedQuery;
