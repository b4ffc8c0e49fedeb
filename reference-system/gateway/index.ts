/**
 * The API gateway: one express app in front of the services. Per request: timing, optional gzip
 * (NF-4), JWT verification, rate limiting (NF-6), body validation, then a forward to the owning
 * service through its circuit breaker (NF-5) under a deadline (NV-5). Operational routes:
 * /health, /health/ready, /health/circuit-breakers, /metrics, /openapi.yaml, /admin/switches.
 * This module only assembles the parts: app.ts (per-request plumbing), health-routes.ts,
 * admin-routes.ts, api-routes.ts (the route table's steps), auth.ts, rate-limit-middleware.ts,
 * forward.ts with the pure forwarding.ts and failure-mapping.ts, gateway-metrics.ts.
 */
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { startedHandle, type StartedHandle } from '../../core/index.ts';
import { errorHandler } from '../shared/http.ts';
import { closeRedis, createRedisClient, waitForRedis } from '../shared/redis.ts';
import { closeServer, listen } from '../shared/service-server.ts';
import type { SwitchStore } from '../shared/switch-store.ts';
import { mountAdminRoutes } from './admin-routes.ts';
import { mountApiRoutes, notFound, openapiHandler } from './api-routes.ts';
import { gatewayApp } from './app.ts';
import { authenticate, tokenVerifier } from './auth.ts';
import { BREAKER_CONFIGS, type DownstreamBreaker } from './breakers.ts';
import { downstreamBreakers, upstreamGroups } from './downstreams.ts';
import { makeForwarder } from './forward.ts';
import { BLANKET_TIMEOUT_MS, SERVICE_TIMEOUTS_MS } from './forwarding.ts';
import { gatewayMetrics, metricsHandler } from './gateway-metrics.ts';
import { mountHealthRoutes } from './health-routes.ts';
import { HopRecorder } from './hops.ts';
import type { UpstreamGroup } from './proxy.ts';
import { RATE_RULES } from './rate-limit.ts';
import { rateLimits } from './rate-limit-middleware.ts';
import { DOWNSTREAMS, GATEWAY_ROUTES, type DownstreamId } from './routes.ts';
import { makeUpgradeHandler } from './upgrade.ts';

export { GATEWAY_ROUTES, DOWNSTREAMS, RATE_RULES, BREAKER_CONFIGS, SERVICE_TIMEOUTS_MS, BLANKET_TIMEOUT_MS };
export type { DownstreamId };

export interface GatewayOptions {
  instanceId: string;
  store: SwitchStore;
  /** Base URLs per downstream; chat may list several instances. */
  downstreams: Partial<Record<DownstreamId, readonly string[]>>;
  jwtSecret: string;
  redisUrl: string;
  redisKeyPrefix?: string;
  /** Through PgBouncer: what readiness checks. */
  databaseUrl: string;
  /** Direct Postgres (superuser) for index DDL on PUT /admin/switches; without it index switches are not applied. */
  adminDatabaseUrl?: string;
  amqpUrl: string;
  metrics: Registry;
  log: Logger;
  /** Services in other processes to tell about switch changes (split mode). */
  remoteSwitchUrls?: readonly string[];
  rateLimitFailClosed?: boolean;
  readyTimeoutMs?: number;
  openapiFile?: string;
  port?: number;
}

export interface StartedGateway extends StartedHandle {
  instanceId: string;
  url: string;
  breakers: Record<string, DownstreamBreaker>;
}

export async function startGateway(opts: GatewayOptions): Promise<StartedGateway> {
  const { store, log, metrics, instanceId } = opts;
  // The live switches, read per request by every part (never copied at start-up).
  const sw = store.current;
  const redis = createRedisClient({ url: opts.redisUrl, keyPrefix: opts.redisKeyPrefix, log });
  // Commands fail fast while Redis is away; give it a moment at start so the first requests are
  // not counted as an outage. A Redis that stays down does not stop the gateway from starting.
  await waitForRedis(redis, 3_000);
  const groups = upstreamGroups(opts.downstreams);
  const breakers = downstreamBreakers(groups.keys(), () => sw['breaker-window']);
  const gm = gatewayMetrics(metrics, instanceId);
  const hops = new HopRecorder(redis);

  const app = gatewayApp(sw, metrics);
  mountHealthRoutes(app, { instanceId, store, databaseUrl: opts.databaseUrl, amqpUrl: opts.amqpUrl, redis, readyTimeoutMs: opts.readyTimeoutMs, groups, hops, breakers });
  app.get('/metrics', metricsHandler(metrics, breakers, gm));
  app.get('/openapi.yaml', openapiHandler(opts.openapiFile));
  mountAdminRoutes(app, { store, log, adminDatabaseUrl: opts.adminDatabaseUrl, remoteSwitchUrls: opts.remoteSwitchUrls });
  mountApiRoutes(app, GATEWAY_ROUTES, {
    groups,
    authenticate: authenticate(tokenVerifier(opts.jwtSecret)),
    limit: rateLimits({ redis, switches: sw, failClosed: opts.rateLimitFailClosed ?? false, log, metrics: gm }),
    forward: makeForwarder({ switches: sw, breakers, hops, onFailure: gm.upstreamFailure }),
  });
  app.use(notFound);
  app.use(errorHandler(log));

  const server = await listen(app, opts.port ?? 0, '127.0.0.1');
  const chatUrls = opts.downstreams.chat ?? [];
  server.on('upgrade', makeUpgradeHandler(() => chatUrls, (e) => log.warn({ err: e.message }, 'websocket upgrade to chat failed')));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  log.info({ url, instance: instanceId, downstreams: memberUrls(groups) }, 'gateway listening');

  return startedHandle({ instanceId, url, breakers }, async () => {
    await closeServer(server);
    for (const b of Object.values(breakers)) b.shutdown();
    hops.stop();
    await Promise.all([...groups.values()].map((g) => g.close()));
    await closeRedis(redis);
  });
}

function memberUrls(groups: ReadonlyMap<DownstreamId, UpstreamGroup>): Record<string, string[]> {
  return Object.fromEntries([...groups].map(([k, g]) => [k, g.members.map((m) => m.baseUrl)]));
}
