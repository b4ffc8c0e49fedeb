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
  const confirmTimeoutMs = opts.confirmTimeoutMs ?? 5_000;
  const published = counter(opts.metrics, { name: 'brink_events_published_total', help: 'Domain events published, by outcome', labelNames: ['service', 'type', 'outcome'] });
  const channel = new EventsChannel(opts.url, opts.connectTimeoutMs ?? 2_000, opts.log);
  return {
    async publish(event) {
      // An event may bring its own stable id (the comments outbox: a relayed row published twice
      // stays one notification, consumers de-duplicate on the id); otherwise a fresh one.
      const message: EventMessage = { id: randomUUID(), ...event, at: new Date().toISOString(), source: opts.service };
      try {
        await publishConfirmed(await channel.open(), message, confirmTimeoutMs);
        published.inc({ service: opts.service, type: event.type, outcome: 'confirmed' });
        return message;
      } catch (e) {
        published.inc({ service: opts.service, type: event.type, outcome: 'failed' });
        throw e;
      }
    },
    async check() {
      await channel.open();
    },
    close: () => channel.close(),
  };
}

/** Publishes one persistent message; resolves on the broker's confirm, rejects on a nack or no confirm in time. */
export function publishConfirmed(ch: ConfirmChannel, message: EventMessage, confirmTimeoutMs: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`rabbitmq did not confirm event ${message.type} within ${confirmTimeoutMs} ms`)), confirmTimeoutMs);
    ch.publish(
      EVENTS_EXCHANGE,
      message.type,
      Buffer.from(JSON.stringify(message)),
      { persistent: true, contentType: 'application/json', messageId: message.id, type: message.type, timestamp: Math.floor(Date.now() / 1000) },
      (err) => {
        clearTimeout(timer);
        if (err) reject(err instanceof Error ? err : new Error(`rabbitmq nacked event ${message.type}`));
        else resolve();
      },
    );
  });
}

/** The confirm channel on brink.events: opened on first use, forgotten when the connection is lost, so the next use reopens it. */
class EventsChannel {
  #conn: ChannelModel | undefined;
  #channel: Promise<ConfirmChannel> | undefined;
  #closed = false;

  constructor(
    private readonly url: string,
    private readonly connectTimeoutMs: number,
    private readonly log: Logger,
  ) {}

  open(): Promise<ConfirmChannel> {
    if (this.#closed) return Promise.reject(new Error('publisher is closed'));
    const channel = (this.#channel ??= this.#connect());
    channel.catch(() => {
      this.#channel = undefined;
    });
    return channel;
  }

  async close(): Promise<void> {
    this.#closed = true;
    const c = this.#conn;
    this.#conn = undefined;
    this.#channel = undefined;
    await c?.close().catch(() => undefined);
  }

  async #connect(): Promise<ConfirmChannel> {
    const c = await amqp.connect(this.url, { timeout: this.connectTimeoutMs });
    const reset = (why: string) => (e?: Error) => {
      if (this.#conn === c) {
        this.#conn = undefined;
        this.#channel = undefined;
      }
      if (!this.#closed) this.log.warn({ err: e?.message, why }, 'rabbitmq connection lost; will reconnect on next publish');
    };
    c.on('error', reset('error'));
    c.on('close', reset('close'));
    this.#conn = c;
    const ch = await c.createConfirmChannel();
    ch.on('error', () => undefined);
    ch.on('close', () => {
      if (this.#conn === c) this.#channel = undefined;
    });
    await ch.assertExchange(EVENTS_EXCHANGE, 'topic', { durable: true });
    return ch;
  }
}
