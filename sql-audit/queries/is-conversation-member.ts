import type { NamedQuery } from './types.ts';

/** CP-3: baseline checks membership with this query on every message sent (membership-cache off). */
export const isConversationMember = {
  id: 'is_conversation_member',
  description: 'Whether a user belongs to a conversation (checked per message unless cached).',
  sql: `SELECT 1
FROM conversation_members
WHERE conversation_id = $1 AND user_id = $2`,
  params: [
    { name: 'conversation_id', pgType: 'bigint', pick: { kind: 'heavy-conversation', which: 'largest' } },
    {
      name: 'user_id',
      pgType: 'bigint',
      pick: { kind: 'sql', sql: 'SELECT user_id FROM conversation_members WHERE conversation_id = $1 ORDER BY user_id LIMIT 1', args: ['conversation_id'] },
      fallback: { kind: 'literal', value: 1 },
    },
  ],
  runsIn: { service: 'chat', trigger: 'socket "message:send"' },
  claimIds: ['CP-3'],
} as const satisfies NamedQuery;
