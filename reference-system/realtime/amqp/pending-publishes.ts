/**
 * The publisher's memory: every message not yet confirmed by RabbitMQ, sent on the current confirm
 * channel when there is one and sent again on the next after a nack or a lost channel, until it is
 * confirmed or its deadline passes.
 */
import type { ConfirmChannel, Options } from 'amqplib';
import type { Logger } from 'pino';

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

export class PendingPublishes {
  readonly #queue: Pending[] = [];

  constructor(
    /** The live confirm channel, or null while there is none. */
    private readonly channel: () => ConfirmChannel | null,
    private readonly timeoutMs: number,
    private readonly log: Logger,
  ) {}

  get size(): number {
    return this.#queue.length;
  }

  /** Resolves when RabbitMQ confirmed the message; rejects once timeoutMs passed without. */
  add(exchange: string, routingKey: string, content: Buffer, options: Options.Publish, now = Date.now()): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const p: Pending = { exchange, routingKey, content, options: { persistent: true, ...options }, deadline: now + this.timeoutMs, resolve, reject, inFlight: false, done: false };
      this.#queue.push(p);
      this.#send(p);
    });
  }

  /** Sends everything waiting (on a new channel). */
  sendAll(): void {
    for (const p of [...this.#queue]) this.#send(p);
  }

  /** Expires what waited too long and re-sends anything a nack left behind on a live channel. */
  sweep(now = Date.now()): void {
    for (const p of [...this.#queue]) {
      if (p.done) continue;
      if (now > p.deadline) this.#settle(p, new Error(`event ${p.routingKey} not confirmed by RabbitMQ within ${this.timeoutMs} ms`));
      else if (!p.inFlight) this.#send(p);
    }
  }

  /** Rejects everything still waiting with the error `why` gives for it. */
  failAll(why: (routingKey: string) => Error): void {
    for (const p of [...this.#queue]) this.#settle(p, why(p.routingKey));
  }

  #settle(p: Pending, err?: Error): void {
    if (p.done) return;
    p.done = true;
    const i = this.#queue.indexOf(p);
    if (i >= 0) this.#queue.splice(i, 1);
    if (err) p.reject(err);
    else p.resolve();
  }

  #send(p: Pending): void {
    const c = this.channel();
    if (!c || p.inFlight || p.done) return;
    p.inFlight = true;
    try {
      c.publish(p.exchange, p.routingKey, p.content, p.options, (err) => {
        p.inFlight = false;
        if (!err) return this.#settle(p);
        // Nacked or the channel closed before the confirm: try again on the next channel.
        this.log.debug({ err: String((err as Error)?.message ?? err), routingKey: p.routingKey }, 'publish not confirmed; will resend');
        const now = this.channel();
        if (now && now !== c) this.#send(p);
      });
    } catch (e) {
      p.inFlight = false;
      this.log.debug({ err: (e as Error).message }, 'publish failed; will resend');
    }
  }
}
