import type { NamedQuery } from './types.ts';
import { SEARCH_TERM } from './search-term.ts';

/** CP-5, NV-12: baseline post search, a substring match no b-tree can serve: every live post is read. */
export const searchPostsLike = {
  id: 'search_posts_like',
  description: 'Posts whose body contains the search text (ILIKE %q%, baseline).',
  sql: `SELECT id, user_id, body, created_at
FROM posts
WHERE deleted_at IS NULL AND body ILIKE '%' || $1 || '%'
ORDER BY created_at DESC
LIMIT $2`,
  params: [SEARCH_TERM, { name: 'limit', pgType: 'integer', pick: { kind: 'literal', value: 20 } }],
  runsIn: { service: 'search', trigger: 'GET /search/posts?q=' },
  family: 'search_posts',
  usedWhen: { switch: 'fulltext-search', on: false },
  claimIds: ['CP-5', 'NV-12'],
} as const satisfies NamedQuery;
