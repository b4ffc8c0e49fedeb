import type { NamedQuery } from './types.ts';
import { USER_SEARCH_TERM } from './search-term.ts';

/** CP-5: optimized user search, trigram similarity served by migration 008's GIN (gin_trgm_ops) indexes. */
export const searchUsersTrigram = {
  id: 'search_users_trigram',
  description: 'Users whose username or display name is similar to the search text (pg_trgm, best match first).',
  sql: `SELECT id, username, display_name
FROM users
WHERE username % $1 OR display_name % $1
ORDER BY greatest(similarity(username, $1), similarity(display_name, $1)) DESC, id
LIMIT $2`,
  params: [USER_SEARCH_TERM, { name: 'limit', pgType: 'integer', pick: { kind: 'literal', value: 20 } }],
  runsIn: { service: 'user', trigger: 'GET /search/users?q=' },
  family: 'search_users',
  usedWhen: { switch: 'fulltext-search', on: true },
  claimIds: ['CP-5'],
} as const satisfies NamedQuery;
