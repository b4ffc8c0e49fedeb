import type { NamedQuery } from './types.ts';

/** Login: the unique index on users(username) serves it. */
export const getUserByUsername = {
  id: 'get_user_by_username',
  description: 'The account and password hash for a login.',
  sql: `SELECT id, username, password_hash, display_name
FROM users
WHERE username = $1`,
  params: [
    { name: 'username', pgType: 'text', pick: { kind: 'sql', sql: 'SELECT username FROM users ORDER BY id DESC LIMIT 1' }, fallback: { kind: 'literal', value: 'user1' } },
  ],
  runsIn: { service: 'user', trigger: 'POST /auth/login' },
  claimIds: ['NV-8'],
} as const satisfies NamedQuery;
