/**
 * What the worker does with one delivery. Store-and-push it; on failure:
 * - reliable (manual acks): park a confirmed copy in the retry queue for its try, with an
 *   exponential delay, then ack; after the last try nack it to the dead-letter queue.
 * - baseline (auto-ack): the broker already forgot it, so a failure loses it; count and log that.
 */
import type { ConfirmChannel, ConsumeMessage, MessageProperties, Options } from 'amqplib';
import type { Server } from 'socket.io';
import type { Logger } from 'pino';
import type { Db } from '../../shared/context.ts';
import { parseWireEvent } from '../amqp/event-wire.ts';
import type { NotificationTopology } from '../amqp/topology.ts';
import { ATTEMPT_HEADER, attemptOf, onFailure } from './retry-policy.ts';
import { storeAndPush } from './store-and-push.ts';
import type { CountOutcome } from './worker-stats.ts';

export class PoisonMessage extends Error {}

export interface DeliveryDeps {
  db: Db;
  /** Adapter-only Socket.IO server: pushes reach whichever chat instance holds the user. */
  io: Server;
  count: CountOutcome;
  log: Logger;
  maxAttempts: number;
  retryBaseDelayMs: number;
}

export async function handleDelivery(d: DeliveryDeps, msg: ConsumeMessage): Promise<void> {
  const parsed = parseWireEvent(msg.content, msg.properties.messageId as string | undefined);
  if (!parsed.ok) throw new PoisonMessage(parsed.reason);
  const r = await storeAndPush(d.db, d.io, parsed.event);
  d.count('handled');
  if (r.inserted) d.count('inserted', r.inserted);
  if (r.duplicates) d.count('duplicates', r.duplicates);
}

export async function onReliable(d: DeliveryDeps, ch: ConfirmChannel, t: NotificationTopology, msg: ConsumeMessage): Promise<void> {
  const attempt = attemptOf(msg.properties.headers);
  try {
    await handleDelivery(d, msg);
    ch.ack(msg);
  } catch (e) {
    const reason = (e as Error).message;
    const action = onFailure(attempt, d.maxAttempts, d.retryBaseDelayMs);
    if (action.kind === 'dead-letter') {
      d.log.warn({ reason, attempt, messageId: msg.properties.messageId }, 'notification dead-lettered');
      d.count('deadLettered');
      ch.nack(msg, false, false); // to the DLX -> notifications.dlq, with x-death and our attempt header
      return;
    }
    d.log.info({ reason, attempt, delayMs: action.delayMs }, 'notification failed; retrying later');
    // Confirmed copy in the retry queue first, then ack: a crash between the two duplicates, never loses.
    await confirmPublish(ch, t.retryQueues[action.retryQueueIndex]!.name, msg.content, retryPublishOptions(msg.properties, action.nextAttempt, action.delayMs, reason));
    d.count('retried');
    ch.ack(msg);
  }
}

export async function onAutoAcked(d: DeliveryDeps, msg: ConsumeMessage): Promise<void> {
  try {
    await handleDelivery(d, msg);
  } catch (e) {
    d.count('lost');
    d.log.error({ err: (e as Error).message, messageId: msg.properties.messageId }, 'notification failed and was already acknowledged: lost');
  }
}

/** The parked copy: same id and body, expiring into the main queue after the delay, carrying its next try number and why it failed. */
export function retryPublishOptions(p: Pick<MessageProperties, 'messageId' | 'contentType' | 'headers'>, nextAttempt: number, delayMs: number, reason: string): Options.Publish {
  return {
    persistent: true,
    expiration: String(delayMs),
    messageId: p.messageId as string | undefined,
    contentType: p.contentType as string | undefined,
    headers: { ...(p.headers ?? {}), [ATTEMPT_HEADER]: nextAttempt, 'x-brink-last-error': reason.slice(0, 300) },
  };
}

function confirmPublish(ch: ConfirmChannel, queue: string, content: Buffer, options: Options.Publish): Promise<void> {
  return new Promise((resolve, reject) => {
    try {
      ch.sendToQueue(queue, content, options, (err) => (err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve()));
    } catch (e) {
      reject(e as Error);
    }
  });
}
