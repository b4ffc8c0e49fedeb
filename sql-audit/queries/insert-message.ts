import type { NamedQuery } from './types.ts';

/** NV-11: the write behind every chat message; its cost is index maintenance on messages. */
export const insertMessage = {
  id: 'insert_message',
  description: 'Store a chat message and return its id and server timestamp.',
  sql: `INSERT INTO messages (conversation_id, sender_id, body, client_ts)
VALUES ($1, $2, $3, $4)
RETURNING id, created_at`,
  params: [
    { name: 'conversation_id', pgType: 'bigint', pick: { kind: 'heavy-conversation', which: 'largest' } },
    {
      name: 'sender_id',
      pgType: 'bigint',
      pick: { kind: 'sql', sql: 'SELECT user_id FROM conversation_members WHERE conversation_id = $1 ORDER BY user_id LIMIT 1', args: ['conversation_id'] },
      fallback: { kind: 'sql', sql: 'SELECT min(id) FROM users' },
    },
    { name: 'body', pgType: 'text', pick: { kind: 'literal', value: 'audit: explain of a message insert (rolled back)' } },
    { name: 'client_ts', pgType: 'bigint', pick: { kind: 'literal', value: 0 } },
  ],
  runsIn: { service: 'chat', trigger: 'socket "message:send"' },
  writes: true,
  claimIds: ['NV-11'],
} as const satisfies NamedQuery;
