import type { NamedQuery } from './types.ts';

/** NF-13: the write side of the post indexes: each index added for reads costs here. */
export const insertPost = {
  id: 'insert_post',
  description: 'Create a post.',
  sql: `INSERT INTO posts (user_id, body)
VALUES ($1, $2)
RETURNING id, created_at`,
  params: [
    { name: 'user_id', pgType: 'bigint', pick: { kind: 'heavy-user', which: 'largest' } },
    { name: 'body', pgType: 'text', pick: { kind: 'literal', value: 'audit: explain of a post insert (rolled back)' } },
  ],
  runsIn: { service: 'content', trigger: 'POST /posts' },
  writes: true,
  claimIds: ['NF-13'],
} as const satisfies NamedQuery;
