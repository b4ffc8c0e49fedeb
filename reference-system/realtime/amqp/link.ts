/**
 * One AMQP connection that comes back after the broker restarts or the network drops. On every
 * (re)connection the owner's `setup` runs again (channels, topology, consumers), because nothing
 * of a closed connection survives. Reconnects back off from 250 ms to 5 s until stop().
 */
import amqp, { type ChannelModel } from 'amqplib';
import type { Logger } from 'pino';

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
  const minMs = o.reconnectMinMs ?? 250;
  const maxMs = o.reconnectMaxMs ?? 5_000;
  let conn: ChannelModel | null = null;
  let stopped = false;
  let connects = 0;
  let delayMs = minMs;
  let timer: NodeJS.Timeout | undefined;
  let readyWaiters: (() => void)[] = [];
  let lastError = '';

  // A short heartbeat notices a silently dead peer within seconds instead of the default minute.
  const url = o.url.includes('heartbeat=') ? o.url : `${o.url}${o.url.includes('?') ? '&' : '?'}heartbeat=5`;

  async function attempt(): Promise<void> {
    timer = undefined;
    if (stopped) return;
    let c: ChannelModel | null = null;
    try {
      c = await amqp.connect(url, { clientProperties: { connection_name: o.name } });
      if (stopped) {
        await c.close().catch(() => undefined);
        return;
      }
      c.on('error', (e: Error) => o.log.warn({ err: e.message, link: o.name }, 'amqp connection error'));
      c.on('close', () => {
        if (conn !== c) return;
        conn = null;
        o.onLost?.();
        if (!stopped) {
          o.log.warn({ link: o.name }, 'amqp connection lost; reconnecting');
          schedule();
        }
      });
      await o.setup(c);
      conn = c;
      connects++;
      delayMs = minMs;
      for (const w of readyWaiters) w();
      readyWaiters = [];
      if (connects > 1) o.log.info({ link: o.name, connects }, 'amqp reconnected');
    } catch (e) {
      lastError = (e as Error).message;
      o.log.debug({ err: lastError, link: o.name }, 'amqp connect failed');
      if (c) await c.close().catch(() => undefined);
      schedule();
    }
  }

  function schedule(): void {
    if (stopped || timer) return;
    timer = setTimeout(() => void attempt(), delayMs);
    delayMs = Math.min(maxMs, delayMs * 2);
  }

  void attempt();

  return {
    get connection() {
      return conn;
    },
    get connects() {
      return connects;
    },
    ready(timeoutMs) {
      if (conn) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => {
          readyWaiters = readyWaiters.filter((w) => w !== done);
          reject(new Error(`AMQP ${o.name} not connected after ${timeoutMs} ms${lastError ? `: ${lastError}` : ''}`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(t);
          resolve();
        };
        readyWaiters.push(done);
      });
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      const c = conn;
      conn = null;
      if (c) await c.close().catch(() => undefined);
    },
  };
}
