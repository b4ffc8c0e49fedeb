/**
 * One service as its own HTTP server on 127.0.0.1: JSON bodies, request timing, /health and
 * /metrics, PUT /admin/switches (loopback; used by the gateway when services run in other
 * processes), the service's router and the one error handler.
 * The router is mounted at "/" and at "/api", so a service may declare its routes either as the
 * gateway's public paths ("/api/users/:id") or without the prefix ("/users/:id"); the gateway
 * forwards the public path unchanged.
 */
import express from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import type { ServiceDescriptor } from './context.ts';
import type { OwnedServiceContext } from './service-context.ts';
import type { SwitchStore } from './switch-store.ts';
import { ApiError } from './api-errors.ts';
import { errorHandler, loopbackOnly, requestTimer } from './http.ts';
import { refreshPoolGauges } from './db.ts';
import { loopHandler, monitorLoop } from './loop-monitor.ts';
import { serverTiming } from './server-timing.ts';
import { waitForRedis } from './redis.ts';

export interface StartedServiceServer {
  id: string;
  url: string;
  server: Server;
  close(): Promise<void>;
}

export const switchesBodySchema = z.object({ switches: z.record(z.string(), z.boolean()) });

export async function startServiceServer(
  descriptor: ServiceDescriptor,
  ctx: OwnedServiceContext,
  opts: { port?: number; host?: string; store?: SwitchStore; bodyLimit?: string } = {},
): Promise<StartedServiceServer> {
  await waitForRedis(ctx.redis, 3_000);
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(requestTimer(descriptor.id, ctx.metrics));
  app.use(serverTiming);
  app.use(express.json({ limit: opts.bodyLimit ?? '64kb' }));
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok', service: descriptor.id, variant: ctx.variant, switches: ctx.switches });
  });
  monitorLoop(descriptor.id);
  app.get('/health/loop', loopbackOnly, loopHandler);
  app.get('/metrics', async (_req, res, next) => {
    try {
      refreshPoolGauges();
      res.type(ctx.metrics.contentType).send(await ctx.metrics.metrics());
    } catch (e) {
      next(e);
    }
  });
  if (opts.store) {
    const store = opts.store;
    app.put('/admin/switches', loopbackOnly, (req, res) => {
      const parsed = switchesBodySchema.safeParse(req.body);
      if (!parsed.success) throw new ApiError('VALIDATION_FAILED', 'body must be {"switches":{"name":true|false}}', 'switches');
      res.json({ variant: store.variant, switches: store.set(parsed.data.switches) });
    });
  }
  const router = await descriptor.create(ctx);
  app.use(router);
  app.use('/api', router);
  app.use((req, _res, next) => next(new ApiError('NOT_FOUND', `no route ${req.method} ${req.path} in service ${descriptor.id}`)));
  app.use(errorHandler(ctx.log));

  const server = await listen(app, opts.port ?? 0, opts.host ?? '127.0.0.1');
  const { port } = server.address() as AddressInfo;
  return {
    id: descriptor.id,
    url: `http://127.0.0.1:${port}`,
    server,
    close: () => closeServer(server),
  };
}

export function listen(app: express.Express, port: number, host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host);
    server.once('listening', () => resolve(server));
    server.once('error', reject);
    // Keep-alive longer than the gateway's undici pool keeps idle sockets, so the gateway never
    // writes to a socket the service has just closed.
    server.keepAliveTimeout = 65_000;
    server.headersTimeout = 66_000;
  });
}

/** Closes the listener and every open socket (keep-alive connections would keep it open forever). */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
