/**
 * The notifications worker: consumes comment.created, follow.created and message.created from
 * `brink.events`, stores notifications and pushes them to users' Socket.IO rooms.
 * - `amqp-reliability` on (CP-8, CP-9, NF-9): queue `notifications.v2` with DLX, TTL and max
 *   length; prefetch 10; manual acks after the row is stored; a failed message is parked in a retry
 *   queue with exponential backoff and dead-lettered to `notifications.dlq` after its 3rd try.
 * - off, as found: queue `notifications`, unlimited prefetch, auto-ack: a message whose handling
 *   fails (or that was in flight when the process died) is gone.
 * The switch is read at each (re)connection and polled each second; a change reconnects.
 * The connection comes back after RabbitMQ restarts; unacked messages are redelivered then.
 */
import { randomUUID } from 'node:crypto';
import type { ChannelModel, ConfirmChannel, ConsumeMessage, Options } from 'amqplib';
import { Server } from 'socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import type { Registry } from 'prom-client';
import { createLogger } from '../../shared/logger.ts';
import { createMetricsRegistry, counter } from '../../shared/metrics.ts';
import { resolveOptions, type RealtimeOptions } from '../options.ts';
import { openDb, openRedis, quitRedis } from '../infra.ts';
import { openAmqpLink } from '../amqp/link.ts';
import { notificationTopology, type NotificationTopology } from '../amqp/topology.ts';
import { parseWireEvent } from '../amqp/event-wire.ts';
import { ATTEMPT_HEADER, attemptOf, onFailure } from './retry-policy.ts';
import { storeAndPush } from './store-and-push.ts';

export interface WorkerStats {
  handled: number;
  inserted: number;
  duplicates: number;
  retried: number;
  deadLettered: number;
  /** Failures in baseline mode: auto-acked, so gone. */
  lost: number;
}

export interface NotificationsWorker {
  stop(): Promise<void>;
  readonly stats: WorkerStats;
  readonly metrics: Registry;
  /** The topology of the current connection (null while disconnected). */
  topology(): NotificationTopology | null;
  /** Resolves once connected and consuming; rejects after timeoutMs. */
  ready(timeoutMs: number): Promise<void>;
  /** AMQP connections made so far (more than 1 = it reconnected). */
  readonly connects: number;
}

class PoisonMessage extends Error {}

export async function startNotificationsWorker(input: RealtimeOptions): Promise<NotificationsWorker> {
  const o = resolveOptions(input, 'notifications worker');
  const { tuning, names } = o;
  const workerId = o.instanceId ?? `notifications-${randomUUID().slice(0, 8)}`;
  const log = createLogger({ name: workerId, level: tuning.logLevel });
  const registry = createMetricsRegistry();
  const outcomes = counter(registry, { name: 'brink_notifications_events_total', help: 'Notification events by outcome', labelNames: ['outcome'] });
  const dbProvider = openDb(o.databaseUrl, 'notifications', o.switches, registry, log, Math.min(tuning.dbPoolMax, 12));
  const db = dbProvider.forModule('notifications');
  const pub = openRedis(o.redisUrl, `${workerId}-pub`, log, true);
  const sub = openRedis(o.redisUrl, `${workerId}-sub`, log, true);
  // A Socket.IO server with no HTTP server: only its Redis adapter, to broadcast to chat instances.
  const io = new Server({ serveClient: false, adapter: createAdapter(pub, sub, { key: names.socketIoKey }) });

  const stats: WorkerStats = { handled: 0, inserted: 0, duplicates: 0, retried: 0, deadLettered: 0, lost: 0 };
  const count = (k: keyof WorkerStats, n = 1) => {
    stats[k] += n;
    outcomes.inc({ outcome: k }, n);
  };
  let current: NotificationTopology | null = null;
  let currentConn: ChannelModel | null = null;
  const inflight = new Set<Promise<void>>();

  const topologyFor = (reliable: boolean) =>
    notificationTopology({ namespace: tuning.namespace, exchange: names.exchange, reliable, maxAttempts: tuning.notificationMaxAttempts, messageTtlMs: tuning.queueMessageTtlMs, maxLength: tuning.queueMaxLength });

  async function declare(ch: ConfirmChannel, t: NotificationTopology): Promise<void> {
    await ch.assertExchange(t.exchange, 'topic', { durable: true });
    if (t.deadLetter) {
      await ch.assertExchange(t.deadLetter.exchange, 'direct', { durable: true });
      await ch.assertQueue(t.deadLetter.queue.name, t.deadLetter.queue.options);
      await ch.bindQueue(t.deadLetter.queue.name, t.deadLetter.exchange, t.deadLetter.routingKey);
    }
    await ch.assertQueue(t.mainQueue.name, t.mainQueue.options);
    for (const key of t.bindingKeys) await ch.bindQueue(t.mainQueue.name, t.exchange, key);
    for (const q of t.retryQueues) await ch.assertQueue(q.name, q.options);
  }

  async function handle(msg: ConsumeMessage): Promise<void> {
    const parsed = parseWireEvent(msg.content, msg.properties.messageId as string | undefined);
    if (!parsed.ok) throw new PoisonMessage(parsed.reason);
    const r = await storeAndPush(db, io, parsed.event);
    count('handled');
    if (r.inserted) count('inserted', r.inserted);
    if (r.duplicates) count('duplicates', r.duplicates);
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

  async function onReliable(ch: ConfirmChannel, t: NotificationTopology, msg: ConsumeMessage): Promise<void> {
    const attempt = attemptOf(msg.properties.headers);
    try {
      await handle(msg);
      ch.ack(msg);
    } catch (e) {
      const reason = (e as Error).message;
      const action = onFailure(attempt, tuning.notificationMaxAttempts, tuning.notificationRetryBaseDelayMs);
      if (action.kind === 'dead-letter') {
        log.warn({ reason, attempt, messageId: msg.properties.messageId }, 'notification dead-lettered');
        count('deadLettered');
        ch.nack(msg, false, false); // to the DLX -> notifications.dlq, with x-death and our attempt header
        return;
      }
      log.info({ reason, attempt, delayMs: action.delayMs }, 'notification failed; retrying later');
      const p = msg.properties;
      // Confirmed copy in the retry queue first, then ack: a crash between the two duplicates, never loses.
      await confirmPublish(ch, t.retryQueues[action.retryQueueIndex]!.name, msg.content, {
        persistent: true,
        expiration: String(action.delayMs),
        messageId: p.messageId as string | undefined,
        contentType: p.contentType as string | undefined,
        headers: { ...(p.headers ?? {}), [ATTEMPT_HEADER]: action.nextAttempt, 'x-brink-last-error': reason.slice(0, 300) },
      });
      count('retried');
      ch.ack(msg);
    }
  }

  async function onAutoAcked(msg: ConsumeMessage): Promise<void> {
    try {
      await handle(msg);
    } catch (e) {
      count('lost');
      log.error({ err: (e as Error).message, messageId: msg.properties.messageId }, 'notification failed and was already acknowledged: lost');
    }
  }

  const link = openAmqpLink({
    url: o.amqpUrl,
    name: `${workerId}-consumer`,
    log,
    async setup(conn) {
      const t = topologyFor(o.switches['amqp-reliability']);
      const ch = await conn.createConfirmChannel();
      ch.on('error', (e: Error) => log.warn({ err: e.message }, 'consumer channel error'));
      // A closed channel (e.g. a PRECONDITION_FAILED) on a live connection: reconnect from scratch.
      ch.on('close', () => {
        if (currentConn === conn) void conn.close().catch(() => undefined);
      });
      await declare(ch, t);
      await ch.prefetch(t.prefetch);
      await ch.consume(
        t.mainQueue.name,
        (msg) => {
          if (!msg) return; // consumer cancelled by the broker (queue deleted)
          const p = t.manualAck ? onReliable(ch, t, msg) : onAutoAcked(msg);
          const tracked = p.catch((e: Error) => log.warn({ err: e.message }, 'notification left unacked; it will be redelivered'));
          inflight.add(tracked);
          void tracked.finally(() => inflight.delete(tracked));
        },
        { noAck: !t.manualAck },
      );
      current = t;
      currentConn = conn;
      log.info({ queue: t.mainQueue.name, reliable: t.reliable, prefetch: t.prefetch }, 'notifications worker consuming');
    },
    onLost: () => {
      current = null;
      currentConn = null;
    },
  });

  const modeWatch = setInterval(() => {
    if (current && currentConn && current.reliable !== o.switches['amqp-reliability']) {
      log.info({ reliable: o.switches['amqp-reliability'] }, 'amqp-reliability changed; reconnecting with the other topology');
      void currentConn.close().catch(() => undefined);
    }
  }, 1_000);
  modeWatch.unref();

  let stopped: Promise<void> | undefined;
  return {
    stats,
    metrics: registry,
    topology: () => current,
    ready: (ms) => link.ready(ms),
    get connects() {
      return link.connects;
    },
    stop() {
      stopped ??= (async () => {
        clearInterval(modeWatch);
        await Promise.allSettled([...inflight]);
        await link.stop();
        // io.close() assumes an attached engine; this server has none, so close just its adapter.
        await Promise.resolve(io.of('/').adapter.close()).catch(() => undefined);
        await quitRedis(pub, sub);
        await dbProvider.close();
      })();
      return stopped;
    },
  };
}
