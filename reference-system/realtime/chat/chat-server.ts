/**
 * A chat instance's servers: an express app (health and metrics, the conversations API) and a
 * Socket.IO v4 server on one HTTP server. The Socket.IO Redis adapter is always attached so the
 * notifications worker can reach any instance; the `socketio-redis-adapter` switch decides, per
 * emit, whether chat traffic uses it (every instance) or stays in this process (CP-1).
 */
import { createServer, type Server as HttpServer } from 'node:http';
import express from 'express';
import { Server } from 'socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import type { ResolvedOptions } from '../options.ts';
import type { InflightWork } from '../lifecycle/inflight.ts';
import { queuesToWatch, topologyParams } from '../amqp/topology.ts';
import type { ChatParts } from './chat-parts.ts';
import { apiErrorHandler, chatRouter } from './http-routes.ts';
import { conversationRoom, userRoom } from './message-send.ts';
import { messageCreatedPublisher } from './message-created.ts';
import { opsRouter } from './ops-routes.ts';
import { socketAuth } from './socket-auth.ts';
import { onConnection } from './socket-session.ts';

export interface ChatServer {
  httpServer: HttpServer;
  io: Server;
}

export function createChatServer(o: ResolvedOptions, instanceId: string, p: ChatParts, inflight: InflightWork): ChatServer {
  const { switches, tuning, names } = o;
  const { db, membership, log } = p;
  const app = express();
  app.disable('x-powered-by');
  const httpServer = createServer(app);
  const io = new Server(httpServer, { serveClient: false, adapter: createAdapter(p.pub, p.sub, { key: names.socketIoKey }) });
  const roomOp = () => (switches['socketio-redis-adapter'] ? io : io.local);
  const queues = queuesToWatch(topologyParams(tuning, names.exchange));

  app.use(opsRouter({ instanceId, switches, db, redis: p.redis, publisher: p.publisher, registry: p.registry, metrics: p.metrics, connectedSockets: () => io.engine.clientsCount, queues }));
  app.use(
    chatRouter({
      db,
      membership,
      switches,
      limits: { defaultPageSize: tuning.historyDefaultPageSize, maxPageSize: tuning.historyMaxPageSize },
      log,
      joinRoom: (conversationId, memberIds) => roomOp().in(memberIds.map(userRoom)).socketsJoin(conversationRoom(conversationId)),
    }),
  );
  app.use(apiErrorHandler(log));

  io.use(socketAuth(o.jwtSecret));
  const publishMessageCreated = messageCreatedPublisher(p.publisher, names.exchange);
  const send = { db, batcher: p.batcher, membership, rateLimiter: p.rateLimiter, switches, metrics: p.metrics, log, publishMessageCreated };
  io.on('connection', onConnection({ instanceId, membership, presence: p.presence, log, send, inflight }));
  return { httpServer, io };
}
