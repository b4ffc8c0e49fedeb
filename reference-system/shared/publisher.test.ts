import type { ConfirmChannel } from 'amqplib';
import { describe, expect, it } from 'vitest';
import { EVENTS_EXCHANGE, publishConfirmed, type EventMessage } from './publisher.ts';

/** A channel whose broker confirms, nacks, or never answers. */
function channel(answer: 'ack' | 'nack' | 'silent') {
  const sent: { exchange: string; key: string; body: string; messageId: unknown; persistent: unknown }[] = [];
  const ch = {
    publish(exchange: string, key: string, body: Buffer, options: { messageId?: string; persistent?: boolean }, cb: (err: unknown) => void) {
      sent.push({ exchange, key, body: body.toString(), messageId: options.messageId, persistent: options.persistent });
      if (answer === 'ack') setImmediate(() => cb(null));
      if (answer === 'nack') setImmediate(() => cb('nacked'));
      return true;
    },
  } as unknown as ConfirmChannel;
  return { ch, sent };
}

const message: EventMessage = { id: 'comment.created:7', type: 'comment.created', recipients: [3], payload: { commentId: 7 }, at: '2026-01-01T00:00:00.000Z', source: 'comments' };

describe('publishing with confirms', () => {
  it('sends a persistent message keyed by event type with the event id, and resolves on the confirm', async () => {
    const { ch, sent } = channel('ack');
    await publishConfirmed(ch, message, 1_000);
    expect(sent).toEqual([{ exchange: EVENTS_EXCHANGE, key: 'comment.created', body: JSON.stringify(message), messageId: 'comment.created:7', persistent: true }]);
  });

  it('rejects on a nack, and when no confirm comes in time', async () => {
    await expect(publishConfirmed(channel('nack').ch, message, 1_000)).rejects.toThrow('rabbitmq nacked event comment.created');
    await expect(publishConfirmed(channel('silent').ch, message, 20)).rejects.toThrow('rabbitmq did not confirm event comment.created within 20 ms');
  });
});
