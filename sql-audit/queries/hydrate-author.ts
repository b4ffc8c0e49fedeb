import type { NamedQuery } from './types.ts';

/** NV-3, NF-11: baseline hydration, one query per post (N+1). Fast alone; the cost is the count. */
export const hydrateAuthor = {
  id: 'hydrate_author',
  description: 'One post author, queried once per post of a feed page (N+1, baseline).',
  sql: `SELECT id, username, display_name, status
FROM users
WHERE id = $1`,
  params: [{ name: 'user_id', pgType: 'bigint', pick: { kind: 'heavy-user', which: 'largest' } }],
  runsIn: { service: 'feed', trigger: 'GET /feed (hydration, once per post)' },
  family: 'hydrate_authors',
  usedWhen: { switch: 'batched-hydration', on: false },
  claimIds: ['NV-3', 'NF-11'],
} as const satisfies NamedQuery;
