import type { NamedQuery } from './types.ts';

/** CP-6: baseline writes one row per presence change; presence-batching replaces this with batches. */
export const insertPresenceEvent = {
  id: 'insert_presence_event',
  description: 'Record one presence change (baseline: once per connect/disconnect).',
  sql: `INSERT INTO presence_events (user_id, status)
VALUES ($1, $2)`,
  params: [
    { name: 'user_id', pgType: 'bigint', pick: { kind: 'heavy-user', which: 'largest' } },
    { name: 'status', pgType: 'text', pick: { kind: 'literal', value: 'online' } },
  ],
  runsIn: { service: 'chat', trigger: 'socket connect/disconnect' },
  writes: true,
  claimIds: ['CP-6'],
} as const satisfies NamedQuery;
