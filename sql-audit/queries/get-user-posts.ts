import type { NamedQuery } from './types.ts';

/** NV-1: a user's profile timeline. Baseline has only posts(user_id): every live post of the user is sorted. */
export const getUserPosts = {
  id: 'get_user_posts',
  description: "A user's 20 newest live posts (profile timeline).",
  sql: `SELECT id, user_id, body, like_count, comment_count, created_at
FROM posts
WHERE user_id = $1 AND deleted_at IS NULL
ORDER BY created_at DESC
LIMIT 20`,
  params: [{ name: 'user_id', pgType: 'bigint', pick: { kind: 'heavy-user', which: 'largest' } }],
  runsIn: { service: 'content', trigger: 'GET /users/:id/posts' },
  claimIds: ['NV-1', 'LC-3'],
} as const satisfies NamedQuery;
