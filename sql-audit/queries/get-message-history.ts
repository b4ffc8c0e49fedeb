import type { NamedQuery } from './types.ts';

/** NV-2, CP-3: a conversation's history, baseline form: OFFSET paging over messages(conversation_id). */
export const getMessageHistory = {
  id: 'get_message_history',
  description: 'One page of a conversation, newest first, paged with OFFSET (baseline).',
  sql: `SELECT id, conversation_id, sender_id, body, client_ts, created_at
FROM messages
WHERE conversation_id = $1
ORDER BY created_at DESC, id DESC
LIMIT $2 OFFSET $3`,
  params: [
    { name: 'conversation_id', pgType: 'bigint', pick: { kind: 'heavy-conversation', which: 'largest' } },
    { name: 'limit', pgType: 'integer', pick: { kind: 'literal', value: 50 } },
    { name: 'offset', pgType: 'integer', pick: { kind: 'literal', value: 0 } },
  ],
  runsIn: { service: 'chat', trigger: 'GET /conversations/:id/messages' },
  family: 'get_message_history',
  usedWhen: { switch: 'keyset-paging', on: false },
  claimIds: ['NV-2', 'CP-3'],
} as const satisfies NamedQuery;
