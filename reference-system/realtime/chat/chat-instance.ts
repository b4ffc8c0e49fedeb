/**
 * One chat instance: an express app (conversations, history, health, metrics) and a Socket.IO v4
 * server on one HTTP server. The Socket.IO Redis adapter is always attached so the notifications
 * worker can reach any instance; the `socketio-redis-adapter` switch decides, per emit, whether chat
 * messages use it (every instance) or stay in this process (CP-1).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import express from 'express';
import { Server, type Socket } from 'socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import { createLogger } from '../../shared/logger.ts';
import { createMetricsRegistry } from '../../shared/metrics.ts';
import { refreshPoolGauges } from '../../shared/db.ts';
import { verifyAccessToken } from '../../shared/tokens.ts';
import { resolveOptions, type RealtimeOptions } from '../options.ts';
import { openDb, openRedis, quitRedis } from '../infra.ts';
import { openConfirmPublisher } from '../amqp/publisher.ts';
import { queueDepths } from '../amqp/queue-stats.ts';
import { allNotificationQueues, notificationTopology } from '../amqp/topology.ts';
import { newWireEvent } from '../amqp/event-wire.ts';
import { createPresenceTracker } from '../presence/presence.ts';
import { cleanupExpiredStories } from '../stories/story-cleanup.ts';
import { createMembership } from './membership.ts';
import { createRateLimiter } from './rate-limit.ts';
import { chatMetrics } from './chat-metrics.ts';
import { apiErrorHandler, chatRouter } from './http-routes.ts';
import { conversationRoom, handleMessageSend, userRoom, type NewMessage } from './message-send.ts';
import { MessageBatcher } from './message-batcher.ts';

export interface ChatInstance {
  url: string;
  instanceId: string;
  /** Writes pending presence changes now (presence-batching on); returns users written. */
  flushPresence(): Promise<number>;
  stop(): Promise<void>;
}

export async function startChatInstance(input: RealtimeOptions): Promise<ChatInstance> {
  const o = resolveOptions(input, 'chat');
  const instanceId = o.instanceId ?? `chat-${randomUUID().slice(0, 8)}`;
  const log = createLogger({ name: `chat:${instanceId}`, level: o.tuning.logLevel });
  const registry = createMetricsRegistry();
  const metrics = chatMetrics(registry, instanceId);
  const dbProvider = openDb(o.databaseUrl, 'chat', o.switches, registry, log, o.tuning.dbPoolMax);
  const db = dbProvider.forModule('chat');
  const redis = openRedis(o.redisUrl, `${instanceId}-cmd`, log);
  const pub = openRedis(o.redisUrl, `${instanceId}-pub`, log, true);
  const sub = openRedis(o.redisUrl, `${instanceId}-sub`, log, true);
  const { names, tuning } = o;

  const publisher = openConfirmPublisher({
    url: o.amqpUrl,
    name: `${instanceId}-publisher`,
    log,
    timeoutMs: tuning.publishTimeoutMs,
    setup: async (_conn, ch) => {
      await ch.assertExchange(names.exchange, 'topic', { durable: true });
    },
  });
  const membership = createMembership(db, redis, o.switches, names.redisPrefix, metrics.membershipLookup);
  const rateLimiter = createRateLimiter(redis, names.redisPrefix, () => tuning.messagesPerMinute);
  const presence = createPresenceTracker({ db, redis, switches: o.switches, redisPrefix: names.redisPrefix, flushIntervalMs: tuning.presenceFlushIntervalMs, log });

  const app = express();
  app.disable('x-powered-by');
  const httpServer = createServer(app);
  const io = new Server(httpServer, { serveClient: false, adapter: createAdapter(pub, sub, { key: names.socketIoKey }) });
  const roomOp = () => (o.switches['socketio-redis-adapter'] ? io : io.local);

  app.get('/health', (_req, res) => {
    res.json({ status: 'ok', service: 'chat', instanceId, connectedSockets: io.engine.clientsCount, switches: o.switches });
  });
  app.get('/health/ready', async (_req, res) => {
    const checks = {
      postgres: await db.query('chat.ready', 'SELECT 1').then(() => true, () => false),
      redis: await redis.ping().then((p) => p === 'PONG', () => false),
      rabbitmq: publisher.link.connection !== null,
    };
    const ready = Object.values(checks).every(Boolean);
    res.status(ready ? 200 : 503).json({ ready, instanceId, checks });
  });
  const queues = allNotificationQueues({ namespace: tuning.namespace, exchange: names.exchange, maxAttempts: tuning.notificationMaxAttempts, messageTtlMs: tuning.queueMessageTtlMs, maxLength: tuning.queueMaxLength });
  const dlqName = notificationTopology({ namespace: tuning.namespace, exchange: names.exchange, reliable: true, maxAttempts: tuning.notificationMaxAttempts, messageTtlMs: tuning.queueMessageTtlMs, maxLength: tuning.queueMaxLength }).deadLetter!.queue.name;
  app.get('/metrics', async (_req, res) => {
    metrics.setSockets(io.engine.clientsCount);
    refreshPoolGauges();
    const depths = await queueDepths(publisher.link.connection, queues).catch(() => new Map<string, number>());
    for (const [q, n] of depths) metrics.setQueue(q, n);
    if (depths.has(dlqName)) metrics.setDlq(depths.get(dlqName)!);
    res.type(registry.contentType).send(await registry.metrics());
  });
  app.use(
    chatRouter({
      db,
      membership,
      switches: o.switches,
      limits: { defaultPageSize: tuning.historyDefaultPageSize, maxPageSize: tuning.historyMaxPageSize },
      log,
      joinRoom: (conversationId, memberIds) => roomOp().in(memberIds.map(userRoom)).socketsJoin(conversationRoom(conversationId)),
    }),
  );
  app.use(apiErrorHandler(log));

  // No valid token, no connection: the client sees connect_error "unauthorized".
  io.use((socket, next) => {
    const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
    if (typeof token !== 'string' || token.length === 0) return next(new Error('unauthorized'));
    verifyAccessToken(o.jwtSecret, token).then(
      (claims) => {
        if (!claims) return next(new Error('unauthorized'));
        socket.data.userId = claims.userId;
        next();
      },
      () => next(new Error('unauthorized')),
    );
  });

  const publishMessageCreated = async (m: NewMessage, recipients: number[]) => {
    if (recipients.length === 0) return;
    const ev = newWireEvent('message.created', recipients, { ...m, actorId: m.senderId }, `message.created:${m.id}`);
    await publisher.publish(names.exchange, ev.type, Buffer.from(JSON.stringify(ev)), { messageId: ev.id, contentType: 'application/json' });
  };
  const batcher = new MessageBatcher(db);
  const sendDeps = { db, batcher, membership, rateLimiter, switches: o.switches, metrics, log, publishMessageCreated };

  // Work started by socket events, awaited on stop so nothing writes to a closed pool.
  const inflight = new Set<Promise<unknown>>();
  const track = (p: Promise<unknown>) => {
    inflight.add(p);
    void p.finally(() => inflight.delete(p));
  };

  io.on('connection', (socket: Socket) => {
    const userId = socket.data.userId as number;
    // Handlers first, so nothing a client sends right after connecting is missed while rooms load.
    socket.on('message:send', (...args: unknown[]) => {
      const ack = typeof args[args.length - 1] === 'function' ? (args.pop() as (a: unknown) => void) : undefined;
      track(handleMessageSend(sendDeps, socket, args[0], ack));
    });
    socket.on('disconnect', () => {
      track(presence.disconnected(userId).catch((e: Error) => log.warn({ err: e.message, userId }, 'presence write failed')));
    });
    void socket.join(userRoom(userId));
    // `session:ready` tells the client its rooms are joined: from then on it receives every message.
    membership.conversationsOf(userId).then(
      async (ids) => {
        await socket.join(ids.map(conversationRoom));
        socket.emit('session:ready', { userId, instanceId, conversationIds: ids });
      },
      (e: Error) => {
        log.warn({ err: e.message, userId }, 'could not load conversations on connect');
        socket.emit('session:error', { error: 'internal_error', message: 'could not load your conversations; reconnect' });
      },
    );
    track(presence.connected(userId).catch((e: Error) => log.warn({ err: e.message, userId }, 'presence write failed')));
  });

  let cleanupTimer: NodeJS.Timeout | undefined;
  if (tuning.storyCleanupIntervalMs > 0) {
    cleanupTimer = setInterval(() => {
      cleanupExpiredStories({ db, redis, switches: o.switches, redisPrefix: names.redisPrefix }).then(
        (r) => log.info({ ...r }, 'story cleanup'),
        (e: Error) => log.warn({ err: e.message }, 'story cleanup failed'),
      );
    }, tuning.storyCleanupIntervalMs);
    cleanupTimer.unref();
  }

  let stopped: Promise<void> | undefined;
  const stopAll = (): Promise<void> => {
    stopped ??= (async () => {
      if (cleanupTimer) clearInterval(cleanupTimer);
      metrics.stop();
      // io.close() disconnects every socket (presence goes offline) and closes the HTTP server.
      httpServer.closeIdleConnections();
      await new Promise<void>((resolve) => io.close(() => resolve()));
      batcher.flush();
      // Bounded: with presence-batching off, 10,000 sockets going offline are 20,000 writes.
      await Promise.race([Promise.allSettled([...inflight]), new Promise((r) => setTimeout(r, 15_000).unref())]);
      await presence.stop();
      await publisher.stop();
      await quitRedis(redis, pub, sub);
      await dbProvider.close();
    })();
    return stopped;
  };

  try {
    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(o.port, o.host, () => resolve());
    });
  } catch (e) {
    await stopAll();
    throw e;
  }
  const addr = httpServer.address() as AddressInfo;
  const url = `http://${o.host.includes(':') ? `[${o.host}]` : o.host}:${addr.port}`;
  log.info({ url, instanceId }, 'chat instance listening');

  return {
    url,
    instanceId,
    flushPresence: () => presence.flush(),
    stop: stopAll,
  };
}
