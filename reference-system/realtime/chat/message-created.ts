/**
 * The `message.created` domain event a stored chat message becomes, for the members who did not
 * send it (the notifications worker stores and pushes it), published with confirms.
 */
import { newWireEvent, type WireEvent } from '../amqp/event-wire.ts';
import type { ConfirmPublisher } from '../amqp/publisher.ts';
import type { NewMessage, SendDeps } from './message-send.ts';

/** The event, or null when nobody is to be notified. Its id is derived from the message's, so a republish dedupes. */
export function messageCreatedEvent(m: NewMessage, recipients: number[]): WireEvent | null {
  if (recipients.length === 0) return null;
  return newWireEvent('message.created', recipients, { ...m, actorId: m.senderId }, `message.created:${m.id}`);
}

export function messageCreatedPublisher(publisher: Pick<ConfirmPublisher, 'publish'>, exchange: string): SendDeps['publishMessageCreated'] {
  return async (m, recipients) => {
    const ev = messageCreatedEvent(m, recipients);
    if (!ev) return;
    await publisher.publish(exchange, ev.type, Buffer.from(JSON.stringify(ev)), { messageId: ev.id, contentType: 'application/json' });
  };
}
