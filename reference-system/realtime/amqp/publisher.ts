/**
 * Publishing with confirms that survives broker outages: publish() resolves only when RabbitMQ has
 * confirmed the message (it is then in every bound durable queue, persisted), and until then keeps it
 * in memory, resending after each reconnect, for up to `timeoutMs`. A resend after a lost confirm can
 * duplicate a message; consumers dedupe by event id. What stays in memory is lost if this process
 * dies - the price of not having a transactional outbox, stated in the README.
 */
import type { ChannelModel, ConfirmChannel, Options } from 'amqplib';
import type { Logger } from 'pino';
import { openAmqpLink, type AmqpLink } from './link.ts';
import { PendingPublishes } from './pending-publishes.ts';

export interface ConfirmPublisher {
  publish(exchange: string, routingKey: string, content: Buffer, options?: Options.Publish): Promise<void>;
  /** Messages waiting for a channel or a confirm. */
  readonly pending: number;
  readonly link: AmqpLink;
  stop(): Promise<void>;
}

export interface PublisherOptions {
  url: string;
  name: string;
  log: Logger;
  timeoutMs: number;
  /** Extra setup on each connection (e.g. asserting the exchange). */
  setup?: (conn: ChannelModel, ch: ConfirmChannel) => Promise<void>;
}

export function openConfirmPublisher(o: PublisherOptions): ConfirmPublisher {
  let ch: ConfirmChannel | null = null;
  const pending = new PendingPublishes(() => ch, o.timeoutMs, o.log);
  const link = openAmqpLink({
    url: o.url,
    name: o.name,
    log: o.log,
    async setup(conn) {
      const c = await conn.createConfirmChannel();
      c.on('error', (e: Error) => o.log.warn({ err: e.message }, 'publisher channel error'));
      c.on('close', () => {
        if (ch === c) ch = null;
      });
      await o.setup?.(conn, c);
      ch = c;
      pending.sendAll();
    },
    onLost: () => {
      ch = null;
    },
  });

  let sweeper: NodeJS.Timeout | undefined = setInterval(() => pending.sweep(), 250);
  sweeper.unref();

  return {
    link,
    get pending() {
      return pending.size;
    },
    publish: (exchange, routingKey, content, options = {}) => pending.add(exchange, routingKey, content, options),
    async stop() {
      if (sweeper) clearInterval(sweeper);
      sweeper = undefined;
      // Give in-flight confirms a moment before closing; then fail what is left, loudly.
      const until = Date.now() + 2_000;
      while (pending.size > 0 && ch && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      pending.failAll((routingKey) => new Error(`publisher stopped before RabbitMQ confirmed ${routingKey}`));
      await link.stop();
    },
  };
}
