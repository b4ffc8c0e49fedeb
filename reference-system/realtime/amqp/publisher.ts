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

interface Pending {
  exchange: string;
  routingKey: string;
  content: Buffer;
  options: Options.Publish;
  deadline: number;
  resolve(): void;
  reject(e: Error): void;
  inFlight: boolean;
  done: boolean;
}

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
  const queue: Pending[] = [];
  let sweeper: NodeJS.Timeout | undefined;

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
      flush();
    },
    onLost: () => {
      ch = null;
    },
  });

  function settle(p: Pending, err?: Error): void {
    if (p.done) return;
    p.done = true;
    const i = queue.indexOf(p);
    if (i >= 0) queue.splice(i, 1);
    if (err) p.reject(err);
    else p.resolve();
  }

  function send(p: Pending): void {
    const c = ch;
    if (!c || p.inFlight || p.done) return;
    p.inFlight = true;
    try {
      c.publish(p.exchange, p.routingKey, p.content, p.options, (err) => {
        p.inFlight = false;
        if (!err) return settle(p);
        // Nacked or the channel closed before the confirm: try again on the next channel.
        o.log.debug({ err: String((err as Error)?.message ?? err), routingKey: p.routingKey }, 'publish not confirmed; will resend');
        if (ch && ch !== c) send(p);
      });
    } catch (e) {
      p.inFlight = false;
      o.log.debug({ err: (e as Error).message }, 'publish failed; will resend');
    }
  }

  function flush(): void {
    for (const p of [...queue]) send(p);
  }

  // Expires what waited too long and re-sends anything a nack left behind on a live channel.
  sweeper = setInterval(() => {
    const now = Date.now();
    for (const p of [...queue]) {
      if (p.done) continue;
      if (now > p.deadline) settle(p, new Error(`event ${p.routingKey} not confirmed by RabbitMQ within ${o.timeoutMs} ms`));
      else if (!p.inFlight) send(p);
    }
  }, 250);
  sweeper.unref();

  return {
    link,
    get pending() {
      return queue.length;
    },
    publish(exchange, routingKey, content, options = {}) {
      return new Promise<void>((resolve, reject) => {
        const p: Pending = { exchange, routingKey, content, options: { persistent: true, ...options }, deadline: Date.now() + o.timeoutMs, resolve, reject, inFlight: false, done: false };
        queue.push(p);
        send(p);
      });
    },
    async stop() {
      if (sweeper) clearInterval(sweeper);
      sweeper = undefined;
      // Give in-flight confirms a moment before closing; then fail what is left, loudly.
      const until = Date.now() + 2_000;
      while (queue.length > 0 && ch && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      for (const p of [...queue]) settle(p, new Error(`publisher stopped before RabbitMQ confirmed ${p.routingKey}`));
      await link.stop();
    },
  };
}
