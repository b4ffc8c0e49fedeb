import type { NamedQuery } from './types.ts';

/** NF-13: a user's own comments. Baseline has no index on comments(author_id). */
export const commentsByAuthor = {
  id: 'comments_by_author',
  description: "A user's comments, newest first.",
  sql: `SELECT id, post_id, author_id, body, created_at
FROM comments
WHERE author_id = $1
ORDER BY created_at DESC
LIMIT $2`,
  params: [
    {
      name: 'author_id',
      pgType: 'bigint',
      pick: { kind: 'sql', sql: 'SELECT author_id FROM comments GROUP BY author_id ORDER BY count(*) DESC, author_id LIMIT 1' },
      fallback: { kind: 'literal', value: 1 },
    },
    { name: 'limit', pgType: 'integer', pick: { kind: 'literal', value: 50 } },
  ],
  runsIn: { service: 'content', trigger: 'GET /users/:id/comments' },
  claimIds: ['NF-13'],
} as const satisfies NamedQuery;
