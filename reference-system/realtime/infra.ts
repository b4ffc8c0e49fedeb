/**
 * Connections every realtime process opens: a DbProvider (the framework's, see the note on
 * pooling), a Redis command client, and the pub/sub pair the Socket.IO Redis adapter needs.
 */
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { createDbProvider, type ClosableDbProvider } from '../shared/db.ts';
import type { Switches } from '../../core/index.ts';

/**
 * The chat platform always had a pg pool (CP-2 tunes it; it never opened a connection per message),
 * so the realtime processes read `pooling`/`shared-pool` as on whatever the variant: those switches
 * are the HTTP services' NF-1/MO-1 claims. Every other switch is read live from the caller's object.
 */
export function chatPoolSwitches(live: Readonly<Switches>): Readonly<Switches> {
  return new Proxy(live as Switches, {
    get: (target, key) => (key === 'pooling' || key === 'shared-pool' ? true : Reflect.get(target, key)),
  });
}

export function openDb(url: string, service: string, switches: Readonly<Switches>, metrics: Registry, log: Logger, poolMax: number): ClosableDbProvider {
  return createDbProvider({ url, service, switches: chatPoolSwitches(switches), metrics, log, poolMax });
}

/**
 * `pubsub` clients (the Socket.IO adapter's) run without auto-pipelining: with it, the adapter's
 * un-awaited UNSUBSCRIBE on close is still queued when QUIT closes the socket, and rejects unhandled.
 */
export function openRedis(url: string, name: string, log: Logger, pubsub = false): Redis {
  const r = new Redis(url, { connectionName: name, maxRetriesPerRequest: 2, enableAutoPipelining: !pubsub });
  // ioredis reconnects by itself; without a listener an outage would crash the process.
  r.on('error', (e: Error) => log.debug({ err: e.message, client: name }, 'redis error'));
  if (pubsub) {
    // The Socket.IO adapter calls publish() without awaiting it: during a Redis outage the promise
    // rejects with nobody listening, and an unhandled rejection ends a Node process. The broadcast
    // is lost either way (pushes are fire-and-forget; the stored row is the record): log it.
    const publish = r.publish.bind(r) as (...args: unknown[]) => Promise<number>;
    r.publish = ((...args: unknown[]) => {
      const p = publish(...args);
      p.catch((e: Error) => log.warn({ err: e.message, client: name }, 'redis publish failed; broadcast dropped'));
      return p;
    }) as Redis['publish'];
  }
  return r;
}

export async function quitRedis(...clients: Redis[]): Promise<void> {
  await Promise.all(clients.map((c) => c.quit().catch(() => c.disconnect())));
}
