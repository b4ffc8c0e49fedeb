import type { NamedQuery } from './types.ts';

/** CP-8: the notification consumer's idempotent insert; a redelivered event (same event_id) inserts nothing. */
export const insertNotification = {
  id: 'insert_notification',
  description: 'Store a notification once per event id.',
  sql: `INSERT INTO notifications (user_id, kind, event_id, payload)
VALUES ($1, $2, $3, $4::jsonb)
ON CONFLICT (event_id) DO NOTHING`,
  params: [
    { name: 'user_id', pgType: 'bigint', pick: { kind: 'heavy-user', which: 'largest' } },
    { name: 'kind', pgType: 'text', pick: { kind: 'literal', value: 'comment' } },
    { name: 'event_id', pgType: 'text', pick: { kind: 'literal', value: 'audit-explain-rolled-back' } },
    { name: 'payload', pgType: 'text', pick: { kind: 'literal', value: '{"postId":1}' } },
  ],
  runsIn: { service: 'notification', trigger: 'RabbitMQ consumer, one per event' },
  writes: true,
  claimIds: ['CP-8', 'NF-9'],
} as const satisfies NamedQuery;
