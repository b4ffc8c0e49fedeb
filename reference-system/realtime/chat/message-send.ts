/**
 * `message:send`: validate, rate-limit, check membership, INSERT (batched with other messages of
 * the same few milliseconds when `chat-batched-inserts` is on), ack, emit, publish - in that order. The ack is sent only after Postgres stored the row, so an acked message is never lost;
 * the emit and the RabbitMQ event follow the ack so they do not add to its latency.
 * Emits go through the Redis adapter (every instance) with `socketio-redis-adapter` on, and stay
 * in this process (`.local`) with it off: the in-memory map of CP-1.
 */
import type { Socket } from 'socket.io';
import type { Logger } from 'pino';
import type { Db } from '../../shared/context.ts';
import type { Switches } from '../../../core/index.ts';
import type { Membership } from './membership.ts';
import type { RateLimiter } from './rate-limit.ts';
import type { ChatMetrics } from './chat-metrics.ts';
import { parseSendMessage, type SendAck } from './message-schema.ts';
import { INSERT_ONE, type MessageBatcher } from './message-batcher.ts';

export interface NewMessage {
  id: number;
  conversationId: number;
  senderId: number;
  body: string;
  createdAt: string;
  clientTs: number | null;
}

export interface SendDeps {
  db: Db;
  membership: Membership;
  rateLimiter: RateLimiter;
  switches: Readonly<Switches>;
  metrics: ChatMetrics;
  log: Logger;
  /** One multi-row INSERT for messages that arrive together (used when `chat-batched-inserts` is on). */
  batcher?: MessageBatcher;
  /** Fire-and-forget domain event for offline members (resolves when RabbitMQ confirmed it). */
  publishMessageCreated(message: NewMessage, recipients: number[]): Promise<void>;
}

export const conversationRoom = (id: number) => `conv:${id}`;
export const userRoom = (id: number) => `user:${id}`;

export async function handleMessageSend(d: SendDeps, socket: Socket, raw: unknown, ack: ((a: SendAck) => void) | undefined): Promise<void> {
  const started = performance.now();
  const reply = (a: SendAck) => {
    d.metrics.sent(a.ok ? 'ok' : a.error, (performance.now() - started) / 1000);
    ack?.(a);
  };
  const userId = socket.data.userId as number;
  const parsed = parseSendMessage(raw);
  if (!parsed.ok) return reply(parsed.ack);
  const { conversationId, body, clientTs } = parsed.value;
  try {
    if (!(await d.rateLimiter.take(userId))) return reply({ ok: false, error: 'rate_limited', message: 'more than the allowed messages per minute; retry later' });
    const members = await d.membership.members(conversationId);
    if (!members) return reply({ ok: false, error: 'conversation_not_found', message: `conversation ${conversationId} does not exist` });
    if (!members.includes(userId)) return reply({ ok: false, error: 'not_a_member', message: `you are not a member of conversation ${conversationId}` });

    const ts = clientTs === undefined ? null : Math.round(clientTs);
    const row =
      d.switches['chat-batched-inserts'] && d.batcher
        ? await d.batcher.insert({ conversationId, senderId: userId, body, clientTs: ts })
        : (await d.db.query<{ id: string; created_at: Date }>('insert_message', INSERT_ONE, [conversationId, userId, body, ts]))[0]!;
    const message: NewMessage = { id: Number(row.id), conversationId, senderId: userId, body, createdAt: row.created_at.toISOString(), clientTs: clientTs ?? null };
    reply({ ok: true, id: message.id, createdAt: message.createdAt });

    const room = conversationRoom(conversationId);
    if (!socket.rooms.has(room)) void socket.join(room);
    // Everyone in the room but the sending socket (it has the ack).
    const to = d.switches['socketio-redis-adapter'] ? socket.to(room) : socket.local.to(room);
    to.emit('message:new', message);

    d.publishMessageCreated(message, members.filter((m) => m !== userId)).catch((e: Error) => d.log.error({ err: e.message, messageId: message.id }, 'message.created event not confirmed'));
  } catch (e) {
    d.log.error({ err: (e as Error).message, userId, conversationId }, 'message:send failed');
    reply({ ok: false, error: 'internal_error', message: 'the message was not stored; try again' });
  }
}
