/**
 * The gateway's health routes: liveness with the live switches, readiness of every dependency
 * (LC-4), the event loop and per-hop sums (loopback only: they are for the harness), and the
 * circuit breakers' states.
 */
import type { Express } from 'express';
import type { Redis } from 'ioredis';
import { loopbackOnly } from '../shared/http.ts';
import { loopHandler, monitorLoop } from '../shared/loop-monitor.ts';
import type { SwitchStore } from '../shared/switch-store.ts';
import type { DownstreamBreaker } from './breakers.ts';
import { postgresCheck, rabbitmqCheck, readinessAnswer, redisCheck, runChecks, serviceCheck, type Check } from './health.ts';
import type { HopRecorder } from './hops.ts';
import type { UpstreamGroup } from './proxy.ts';
import type { DownstreamId } from './routes.ts';

export interface HealthRoutesDeps {
  instanceId: string;
  store: SwitchStore;
  databaseUrl: string;
  amqpUrl: string;
  redis: Redis;
  readyTimeoutMs?: number;
  groups: ReadonlyMap<DownstreamId, UpstreamGroup>;
  hops: HopRecorder;
  breakers: Record<string, DownstreamBreaker>;
}

export function mountHealthRoutes(app: Express, d: HealthRoutesDeps): void {
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok', instance: d.instanceId, variant: d.store.variant, switches: d.store.current });
  });
  app.get('/health/ready', async (_req, res) => {
    const timeoutMs = d.readyTimeoutMs ?? 2_000;
    const answer = readinessAnswer(await runChecks(readinessChecks(d, timeoutMs), timeoutMs));
    res.status(answer.status).json(answer.body);
  });
  monitorLoop(d.instanceId);
  app.get('/health/loop', loopbackOnly, loopHandler);
  app.get('/health/hops', loopbackOnly, async (_req, res) => {
    res.json(await d.hops.sums([...d.groups.keys()]));
  });
  app.get('/health/circuit-breakers', (_req, res) => {
    res.json({ enabled: d.store.current.breakers, breakers: Object.values(d.breakers).map((b) => b.state()) });
  });
}

/** Postgres (through PgBouncer), Redis, RabbitMQ and every instance of every downstream. */
function readinessChecks(d: HealthRoutesDeps, timeoutMs: number): Check[] {
  return [postgresCheck(d.databaseUrl, timeoutMs), redisCheck(d.redis), rabbitmqCheck(d.amqpUrl, timeoutMs), ...[...d.groups.values()].map((g) => serviceCheck(g, timeoutMs))];
}
