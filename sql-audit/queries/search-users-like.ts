import type { NamedQuery } from './types.ts';
import { USER_SEARCH_TERM } from './search-term.ts';

/** CP-5: baseline user search, LIKE '%q%' on two columns: a sequential scan of users. */
export const searchUsersLike = {
  id: 'search_users_like',
  description: 'Users whose username or display name contains the search text (ILIKE %q%, baseline).',
  sql: `SELECT id, username, display_name
FROM users
WHERE username ILIKE '%' || $1 || '%' OR display_name ILIKE '%' || $1 || '%'
ORDER BY username
LIMIT $2`,
  params: [USER_SEARCH_TERM, { name: 'limit', pgType: 'integer', pick: { kind: 'literal', value: 20 } }],
  runsIn: { service: 'user', trigger: 'GET /search/users?q=' },
  family: 'search_users',
  usedWhen: { switch: 'fulltext-search', on: false },
  claimIds: ['CP-5'],
} as const satisfies NamedQuery;
