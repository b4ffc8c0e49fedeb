import type { NamedQuery } from './types.ts';

/** NV-3, NF-11: the authors of a feed page in one round trip (batched-hydration on). */
export const hydrateAuthors = {
  id: 'hydrate_authors',
  description: 'The authors of a page of posts, in one batched query.',
  sql: `SELECT id, username, display_name, status
FROM users
WHERE id = ANY($1::bigint[])`,
  params: [
    {
      name: 'user_ids',
      pgType: 'bigint[]',
      pick: { kind: 'sql', sql: 'SELECT array_agg(user_id) FROM (SELECT DISTINCT user_id FROM posts ORDER BY user_id LIMIT 20) s' },
      fallback: { kind: 'literal', value: [1, 2, 3] },
    },
  ],
  runsIn: { service: 'feed', trigger: 'GET /feed (hydration)' },
  family: 'hydrate_authors',
  usedWhen: { switch: 'batched-hydration', on: true },
  claimIds: ['NV-3', 'NF-11'],
} as const satisfies NamedQuery;
