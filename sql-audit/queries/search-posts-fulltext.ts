import type { NamedQuery } from './types.ts';
import { SEARCH_TERM } from './search-term.ts';

/**
 * CP-5, NV-12: optimized post search. The WHERE clause repeats migration 007's index expression
 * and predicate exactly (to_tsvector('english', body), deleted_at IS NULL) or the GIN index is not used.
 */
export const searchPostsFulltext = {
  id: 'search_posts_fulltext',
  description: 'Posts matching the search text with full-text search (tsvector GIN index).',
  sql: `SELECT id, user_id, body, created_at
FROM posts
WHERE deleted_at IS NULL AND to_tsvector('english', body) @@ websearch_to_tsquery('english', $1)
ORDER BY created_at DESC
LIMIT $2`,
  params: [SEARCH_TERM, { name: 'limit', pgType: 'integer', pick: { kind: 'literal', value: 20 } }],
  runsIn: { service: 'search', trigger: 'GET /search/posts?q=' },
  family: 'search_posts',
  usedWhen: { switch: 'fulltext-search', on: true },
  claimIds: ['CP-5', 'NV-12'],
} as const satisfies NamedQuery;
