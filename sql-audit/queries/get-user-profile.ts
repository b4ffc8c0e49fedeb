import type { NamedQuery } from './types.ts';

/** LC-1, LC-2: the profile read that the cache fronts. */
export const getUserProfile = {
  id: 'get_user_profile',
  description: "A user's public profile.",
  sql: `SELECT id, username, display_name, bio, status, last_seen_at, created_at
FROM users
WHERE id = $1`,
  params: [{ name: 'user_id', pgType: 'bigint', pick: { kind: 'heavy-user', which: 'largest' } }],
  runsIn: { service: 'user', trigger: 'GET /users/:id' },
  claimIds: ['LC-1', 'LC-2'],
} as const satisfies NamedQuery;
