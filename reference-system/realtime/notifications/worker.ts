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
import type { Registry } from 'prom-client';
import { Server } from 'socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import { createLogger } from '../../shared/logger.ts';
import { createMetricsRegistry } from '../../shared/metrics.ts';
import { configure, type RealtimeOptions, type ResolvedOptions } from '../options.ts';
import { openDb, openRedis, quitRedis } from '../infra.ts';
import { notificationTopology, topologyParams, type NotificationTopology } from '../amqp/topology.ts';
import { InflightWork } from '../lifecycle/inflight.ts';
import { startedHandle, type StartedHandle } from '../../../core/index.ts';
import { openConsumer, watchReliabilitySwitch } from './consumer.ts';
import { workerOutcomes, type WorkerStats } from './worker-stats.ts';

export type { WorkerStats };

export interface NotificationsWorker extends StartedHandle {
  readonly stats: WorkerStats;
  readonly metrics: Registry;
  /** The topology of the current connection (null while disconnected). */
  topology(): NotificationTopology | null;
  /** Resolves once connected and consuming; rejects after timeoutMs. */
  ready(timeoutMs: number): Promise<void>;
  /** AMQP connections made so far (more than 1 = it reconnected). */
  readonly connects: number;
}

/** A notifications worker configured and validated but not started (testcontainers' container before start()). */
export class NotificationsWorkerBuilder {
  readonly options: ResolvedOptions;
  readonly workerId: string;

  /** Throws on invalid options, before anything is opened. */
  constructor(input: RealtimeOptions) {
    ({ options: this.options, id: this.workerId } = configure(input, 'notifications worker', 'notifications'));
  }

  /** Opens its connections and starts consuming in the background: await ready() for the first connection. */
  async start(): Promise<NotificationsWorker> {
    const { options: o, workerId } = this;
    const { tuning, names } = o;
    const log = createLogger({ name: workerId, level: tuning.logLevel });
    const registry = createMetricsRegistry();
    const { stats, count } = workerOutcomes(registry);
    const dbProvider = openDb(o.databaseUrl, 'notifications', o.switches, registry, log, Math.min(tuning.dbPoolMax, 12));
    const pub = openRedis(o.redisUrl, `${workerId}-pub`, log, true);
    const sub = openRedis(o.redisUrl, `${workerId}-sub`, log, true);
    // A Socket.IO server with no HTTP server: only its Redis adapter, to broadcast to chat instances.
    const io = new Server({ serveClient: false, adapter: createAdapter(pub, sub, { key: names.socketIoKey }) });
    const inflight = new InflightWork();
    const params = topologyParams(tuning, names.exchange);
    const delivery = { db: dbProvider.forModule('notifications'), io, count, log, maxAttempts: tuning.notificationMaxAttempts, retryBaseDelayMs: tuning.notificationRetryBaseDelayMs };
    const { link, state } = openConsumer({ url: o.amqpUrl, name: `${workerId}-consumer`, log, switches: o.switches, topologyFor: (reliable) => notificationTopology({ ...params, reliable }), delivery, inflight });
    const stopWatch = watchReliabilitySwitch(state, o.switches, log);
    const fields = {
      stats,
      metrics: registry,
      topology: () => state.topology,
      ready: (ms: number) => link.ready(ms),
      get connects() {
        return link.connects;
      },
    };
    return startedHandle(fields, async () => {
      stopWatch();
      await inflight.drain();
      await link.stop();
      // io.close() assumes an attached engine; this server has none, so close just its adapter.
      await Promise.resolve(io.of('/').adapter.close()).catch(() => undefined);
      await quitRedis(pub, sub);
      await dbProvider.close();
    });
  }
}

export async function startNotificationsWorker(input: RealtimeOptions): Promise<NotificationsWorker> {
  return new NotificationsWorkerBuilder(input).start();
}
