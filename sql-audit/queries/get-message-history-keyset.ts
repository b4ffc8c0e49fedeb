import type { NamedQuery } from './types.ts';

/** NV-2, CP-3: the optimized history page: a (created_at, id) cursor that messages(conversation_id, created_at DESC, id DESC) serves in order. */
export const getMessageHistoryKeyset = {
  id: 'get_message_history_keyset',
  description: 'One page of a conversation older than a (created_at, id) cursor, newest first (keyset paging).',
  sql: `SELECT id, conversation_id, sender_id, body, client_ts, created_at
FROM messages
WHERE conversation_id = $1 AND (created_at, id) < ($2::timestamptz, $3::bigint)
ORDER BY created_at DESC, id DESC
LIMIT $4`,
  params: [
    { name: 'conversation_id', pgType: 'bigint', pick: { kind: 'heavy-conversation', which: 'largest' } },
    // A cursor 1,000 messages deep: a page in the middle of the history, not the cheap first one.
    {
      name: 'before_created_at',
      pgType: 'timestamptz',
      pick: { kind: 'sql', sql: 'SELECT created_at FROM messages WHERE conversation_id = $1 ORDER BY created_at DESC, id DESC OFFSET 1000 LIMIT 1', args: ['conversation_id'] },
      fallback: { kind: 'literal', value: '2100-01-01T00:00:00Z' },
    },
    {
      name: 'before_id',
      pgType: 'bigint',
      pick: { kind: 'sql', sql: 'SELECT id FROM messages WHERE conversation_id = $1 ORDER BY created_at DESC, id DESC OFFSET 1000 LIMIT 1', args: ['conversation_id'] },
      fallback: { kind: 'literal', value: '9223372036854775807' },
    },
    { name: 'limit', pgType: 'integer', pick: { kind: 'literal', value: 50 } },
  ],
  runsIn: { service: 'chat', trigger: 'GET /conversations/:id/messages?before=cursor' },
  family: 'get_message_history',
  usedWhen: { switch: 'keyset-paging', on: true },
  claimIds: ['NV-2', 'CP-3'],
} as const satisfies NamedQuery;
