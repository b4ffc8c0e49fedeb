/**
 * Handling one notification event: store a row per recipient (idempotent on event id, so a
 * redelivery inserts nothing twice), then push `notification` to each new row's user room through
 * the Socket.IO Redis adapter, which reaches whichever chat instance holds the user.
 */
import type { Server } from 'socket.io';
import type { Db } from '../../shared/context.ts';
import { notificationRows, type WireEvent } from '../amqp/event-wire.ts';

export interface PushedNotification {
  id: number;
  kind: string;
  payload: Record<string, unknown>;
  createdAt: string;
}

export async function storeAndPush(db: Db, io: Server, event: WireEvent): Promise<{ inserted: number; duplicates: number }> {
  const rows = notificationRows(event);
  if (rows.length === 0) return { inserted: 0, duplicates: 0 };
  const stored = await db.query<{ id: string; user_id: string; kind: string; payload: Record<string, unknown>; created_at: Date }>(
    'insert_notification',
    `INSERT INTO notifications (user_id, kind, event_id, payload)
     SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::jsonb[])
     ON CONFLICT (event_id) DO NOTHING
     RETURNING id, user_id, kind, payload, created_at`,
    [rows.map((r) => r.userId), rows.map((r) => r.kind), rows.map((r) => r.eventId), rows.map((r) => JSON.stringify(r.payload))],
  );
  for (const s of stored) {
    const n: PushedNotification = { id: Number(s.id), kind: s.kind, payload: s.payload, createdAt: s.created_at.toISOString() };
    io.to(`user:${Number(s.user_id)}`).emit('notification', n);
  }
  return { inserted: stored.length, duplicates: rows.length - stored.length };
}
