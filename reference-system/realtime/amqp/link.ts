/**
 * One AMQP connection that comes back after the broker restarts or the network drops. On every
 * (re)connection the owner's `setup` runs again (channels, topology, consumers), because nothing
 * of a closed connection survives. Reconnects back off from 250 ms to 5 s until stop().
 */
import amqp, { type ChannelModel } from 'amqplib';
import type { Logger } from 'pino';
import { Backoff, heartbeatUrl, ReadyWaiters } from './reconnect.ts';

export interface AmqpLinkOptions {
  url: string;
  /** Connection name shown by RabbitMQ (rabbitmqctl list_connections client_properties). */
  name: string;
  log: Logger;
  /** Runs on each new connection; a throw closes it and the link retries. */
  setup: (conn: ChannelModel) => Promise<void>;
  /** Runs when a connection is lost (before the reconnect). */
  onLost?: () => void;
  reconnectMinMs?: number;
  reconnectMaxMs?: number;
}

export interface AmqpLink {
  readonly connection: ChannelModel | null;
  /** Resolves once the first connection is set up; rejects after timeoutMs. */
  ready(timeoutMs: number): Promise<void>;
  /** Connections made so far (1 = never reconnected). */
  readonly connects: number;
  stop(): Promise<void>;
}

export function openAmqpLink(o: AmqpLinkOptions): AmqpLink {
  const link = new ReconnectingLink(o);
  void link.connect();
  return link;
}

class ReconnectingLink implements AmqpLink {
  #conn: ChannelModel | null = null;
  #stopped = false;
  #connects = 0;
  #timer: NodeJS.Timeout | undefined;
  #lastError = '';
  readonly #backoff: Backoff;
  readonly #waiters = new ReadyWaiters();
  readonly #url: string;

  constructor(private readonly o: AmqpLinkOptions) {
    this.#backoff = new Backoff(o.reconnectMinMs ?? 250, o.reconnectMaxMs ?? 5_000);
    this.#url = heartbeatUrl(o.url);
  }

  get connection(): ChannelModel | null {
    return this.#conn;
  }

  get connects(): number {
    return this.#connects;
  }

  ready(timeoutMs: number): Promise<void> {
    if (this.#conn) return Promise.resolve();
    const { name } = this.o;
    return this.#waiters.wait(timeoutMs, () => new Error(`AMQP ${name} not connected after ${timeoutMs} ms${this.#lastError ? `: ${this.#lastError}` : ''}`));
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    const c = this.#conn;
    this.#conn = null;
    if (c) await c.close().catch(() => undefined);
  }

  /** One try: connect, run the owner's setup, and retry later if either fails. */
  async connect(): Promise<void> {
    this.#timer = undefined;
    if (this.#stopped) return;
    let c: ChannelModel | null = null;
    try {
      c = await amqp.connect(this.#url, { clientProperties: { connection_name: this.o.name } });
      if (this.#stopped) {
        await c.close().catch(() => undefined);
        return;
      }
      this.#watch(c);
      await this.o.setup(c);
      this.#connected(c);
    } catch (e) {
      this.#lastError = (e as Error).message;
      this.o.log.debug({ err: this.#lastError, link: this.o.name }, 'amqp connect failed');
      if (c) await c.close().catch(() => undefined);
      this.#schedule();
    }
  }

  #watch(c: ChannelModel): void {
    const { log, name } = this.o;
    c.on('error', (e: Error) => log.warn({ err: e.message, link: name }, 'amqp connection error'));
    c.on('close', () => {
      if (this.#conn !== c) return;
      this.#conn = null;
      this.o.onLost?.();
      if (!this.#stopped) {
        log.warn({ link: name }, 'amqp connection lost; reconnecting');
        this.#schedule();
      }
    });
  }

  #connected(c: ChannelModel): void {
    this.#conn = c;
    this.#connects++;
    this.#backoff.reset();
    this.#waiters.release();
    if (this.#connects > 1) this.o.log.info({ link: this.o.name, connects: this.#connects }, 'amqp reconnected');
  }

  #schedule(): void {
    if (this.#stopped || this.#timer) return;
    this.#timer = setTimeout(() => void this.connect(), this.#backoff.next());
  }
}
