/**
 * How a domain event travels on the `brink.events` topic exchange: routing key = event type,
 * body = JSON `{ id, type, recipients, payload, occurredAt }`, AMQP `messageId` = id, persistent.
 * The HTTP services' publisher (shared/publisher.ts) sends the same shape with `at` and `source`;
 * both parse here.
 * The id is the idempotency key: the notifications worker stores one row per (event id, recipient),
 * so a redelivered or republished event inserts nothing twice.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';

export interface WireEvent {
  id: string;
  type: string;
  recipients: number[];
  payload: Record<string, unknown>;
  occurredAt: string;
}

export const wireEventSchema = z.object({
  id: z.string().min(1).max(200).optional(),
  type: z.string().regex(/^[a-z][a-z0-9_]*\.[a-z][a-z0-9_.]*$/, 'an event type like comment.created'),
  recipients: z.array(z.number().int().positive()).max(10_000),
  payload: z.record(z.string(), z.unknown()),
  occurredAt: z.string().optional(),
  /** reference-system/shared/publisher.ts names the publish time `at` (and adds `source`). */
  at: z.string().optional(),
});

export function newWireEvent(type: string, recipients: number[], payload: Record<string, unknown>, id: string = randomUUID()): WireEvent {
  return { id, type, recipients, payload, occurredAt: new Date().toISOString() };
}

export type ParsedEvent = { ok: true; event: WireEvent } | { ok: false; reason: string };

/** Parses a delivery body; the id comes from the body, else the AMQP messageId. */
export function parseWireEvent(content: Buffer, messageId: string | undefined): ParsedEvent {
  let raw: unknown;
  try {
    raw = JSON.parse(content.toString('utf8'));
  } catch {
    return { ok: false, reason: 'body is not JSON' };
  }
  const r = wireEventSchema.safeParse(raw);
  if (!r.success) {
    const i = r.error.issues[0]!;
    return { ok: false, reason: `${i.path.join('.') || 'body'}: ${i.message}` };
  }
  const id = r.data.id ?? messageId;
  if (!id) return { ok: false, reason: 'event has no id (neither body.id nor messageId)' };
  return { ok: true, event: { id, type: r.data.type, recipients: r.data.recipients, payload: r.data.payload, occurredAt: r.data.occurredAt ?? r.data.at ?? new Date().toISOString() } };
}

export interface NotificationRow {
  userId: number;
  kind: string;
  eventId: string;
  payload: Record<string, unknown>;
}

/** One notification per distinct recipient; the actor is never notified of their own action. */
export function notificationRows(e: WireEvent): NotificationRow[] {
  const actor = Number(e.payload.actorId ?? e.payload.senderId ?? e.payload.authorId ?? e.payload.followerId ?? NaN);
  const users = [...new Set(e.recipients)].filter((u) => u !== actor);
  return users.map((userId) => ({ userId, kind: e.type, eventId: `${e.id}#${userId}`, payload: { ...e.payload, eventId: e.id, occurredAt: e.occurredAt } }));
}
