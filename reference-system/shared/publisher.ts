/**
 * Domain events to RabbitMQ with publisher confirms: exchange `brink.events` (topic, durable),
 * routing key = event type, persistent JSON messages whose messageId is the event id (consumers
 * de-duplicate on it). The connection is opened on first use and reopened after a loss; a publish
 * the broker does not confirm within `confirmTimeoutMs` rejects, so callers never believe an
 * event was sent when it was not.
 */
import amqp, { type ChannelModel, type ConfirmChannel } from 'amqplib';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { DomainEvent } from './context.ts';
import { counter } from './metrics.ts';

export const EVENTS_EXCHANGE = 'brink.events';

/** What goes on the wire (the body of every message on brink.events). */
export interface EventMessage extends DomainEvent {
  id: string;
  /** ISO time the event was published. */
  at: string;
  /** Service that published it. */
  source: string;
}

export interface PublisherOptions {
  url: string;
  service: string;
  metrics: Registry;
  log: Logger;
  connectTimeoutMs?: number;
  confirmTimeoutMs?: number;
}

export interface Publisher {
  publish(event: DomainEvent): Promise<EventMessage>;
  /** Opens (or reuses) the channel; used by readiness checks. */
  check(): Promise<void>;
  close(): Promise<void>;
}

export function createPublisher(opts: PublisherOptions): Publisher {
  const connectTimeoutMs = opts.connectTimeoutMs ?? 2_000;
  const confirmTimeoutMs = opts.confirmTimeoutMs ?? 5_000;
  const published = counter(opts.metrics, { name: 'brink_events_published_total', help: 'Domain events published, by outcome', labelNames: ['service', 'type', 'outcome'] });
  let conn: ChannelModel | undefined;
  let channel: Promise<ConfirmChannel> | undefined;
  let closed = false;

  function open(): Promise<ConfirmChannel> {
    if (closed) return Promise.reject(new Error('publisher is closed'));
    channel ??= (async () => {
      const c = await amqp.connect(opts.url, { timeout: connectTimeoutMs });
      const reset = (why: string) => (e?: Error) => {
        if (conn === c) {
          conn = undefined;
          channel = undefined;
        }
        if (!closed) opts.log.warn({ err: e?.message, why }, 'rabbitmq connection lost; will reconnect on next publish');
      };
      c.on('error', reset('error'));
      c.on('close', reset('close'));
      conn = c;
      const ch = await c.createConfirmChannel();
      ch.on('error', () => undefined);
      ch.on('close', () => {
        if (conn === c) channel = undefined;
      });
      await ch.assertExchange(EVENTS_EXCHANGE, 'topic', { durable: true });
      return ch;
    })();
    channel.catch(() => {
      channel = undefined;
    });
    return channel;
  }

  return {
    async publish(event) {
      // An event may bring its own stable id (the comments outbox: a relayed row published twice
      // stays one notification, consumers de-duplicate on the id); otherwise a fresh one.
      const message: EventMessage = { id: randomUUID(), ...event, at: new Date().toISOString(), source: opts.service };
      try {
        const ch = await open();
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`rabbitmq did not confirm event ${event.type} within ${confirmTimeoutMs} ms`)), confirmTimeoutMs);
          ch.publish(
            EVENTS_EXCHANGE,
            event.type,
            Buffer.from(JSON.stringify(message)),
            { persistent: true, contentType: 'application/json', messageId: message.id, type: event.type, timestamp: Math.floor(Date.now() / 1000) },
            (err) => {
              clearTimeout(timer);
              if (err) reject(err instanceof Error ? err : new Error(`rabbitmq nacked event ${event.type}`));
              else resolve();
            },
          );
        });
        published.inc({ service: opts.service, type: event.type, outcome: 'confirmed' });
        return message;
      } catch (e) {
        published.inc({ service: opts.service, type: event.type, outcome: 'failed' });
        throw e;
      }
    },
    async check() {
      await open();
    },
    async close() {
      closed = true;
      const c = conn;
      conn = undefined;
      channel = undefined;
      await c?.close().catch(() => undefined);
    },
  };
}
