import type { NamedQuery } from './types.ts';

/** NF-13: a post's comments. Baseline has no index on comments(post_id). */
export const commentsByPost = {
  id: 'comments_by_post',
  description: "A post's newest live comments.",
  sql: `SELECT id, post_id, author_id, body, created_at
FROM comments
WHERE post_id = $1 AND deleted_at IS NULL
ORDER BY created_at DESC
LIMIT $2`,
  params: [
    {
      name: 'post_id',
      pgType: 'bigint',
      pick: { kind: 'sql', sql: 'SELECT post_id FROM comments GROUP BY post_id ORDER BY count(*) DESC, post_id LIMIT 1' },
      fallback: { kind: 'literal', value: 1 },
    },
    { name: 'limit', pgType: 'integer', pick: { kind: 'literal', value: 50 } },
  ],
  runsIn: { service: 'content', trigger: 'GET /posts/:id/comments' },
  claimIds: ['NF-13'],
} as const satisfies NamedQuery;
