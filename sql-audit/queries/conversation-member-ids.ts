import type { NamedQuery } from './types.ts';

/** CP-3: the members a new message fans out to (one query, not one per member). */
export const conversationMemberIds = {
  id: 'conversation_member_ids',
  description: "A conversation's member ids, for delivering a message.",
  sql: `SELECT user_id
FROM conversation_members
WHERE conversation_id = $1`,
  params: [{ name: 'conversation_id', pgType: 'bigint', pick: { kind: 'heavy-conversation', which: 'largest' } }],
  runsIn: { service: 'chat', trigger: 'socket "message:send" (fan-out)' },
  claimIds: ['CP-3'],
} as const satisfies NamedQuery;
