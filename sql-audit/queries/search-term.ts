import type { ParamSpec } from './types.ts';

/**
 * A specific word that really occurs in the data and is not an English stop word (to_tsvector
 * keeps it): the rarest such word among the first 50 live posts, so both the LIKE and the
 * full-text forms search for the same matching term, as a user searching for something would.
 */
export const SEARCH_TERM = {
  name: 'q',
  pgType: 'text',
  pick: {
    kind: 'sql',
    sql: `SELECT w FROM (
  SELECT DISTINCT s.id, lower(w) AS w
  FROM (SELECT id, body FROM posts WHERE deleted_at IS NULL ORDER BY id LIMIT 50) s,
       unnest(regexp_split_to_array(s.body, '[^[:alpha:]]+')) AS w
) t
WHERE length(w) >= 4 AND to_tsvector('english', w) <> ''::tsvector
GROUP BY w
ORDER BY count(*), w
LIMIT 1`,
  },
  fallback: { kind: 'literal', value: 'hello' },
} as const satisfies ParamSpec;

/** The last five characters of a real username: a fragment that matches a few users, not all of them. */
export const USER_SEARCH_TERM = {
  name: 'q',
  pgType: 'text',
  pick: { kind: 'sql', sql: 'SELECT right(username, 5) FROM users ORDER BY id DESC LIMIT 1' },
  fallback: { kind: 'literal', value: 'user' },
} as const satisfies ParamSpec;
