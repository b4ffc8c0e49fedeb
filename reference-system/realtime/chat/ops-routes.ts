/**
 * A chat instance's operational routes: /health (alive, with its sockets and switches),
 * /health/ready (Postgres, Redis and RabbitMQ reachable) and /metrics (Prometheus, with the
 * notification queues' depths read at scrape time).
 */
import express, { type Router } from 'express';
import type { Redis } from 'ioredis';
import type { Registry } from 'prom-client';
import type { Db } from '../../shared/context.ts';
import { refreshPoolGauges } from '../../shared/db.ts';
import type { Switches } from '../../../core/index.ts';
import type { ConfirmPublisher } from '../amqp/publisher.ts';
import { queueDepths } from '../amqp/queue-stats.ts';
import type { ChatMetrics } from './chat-metrics.ts';

export interface OpsDeps {
  instanceId: string;
  switches: Readonly<Switches>;
  db: Db;
  redis: Redis;
  publisher: Pick<ConfirmPublisher, 'link'>;
  registry: Registry;
  metrics: ChatMetrics;
  connectedSockets(): number;
  /** The notification queues to report, and which one is the dead-letter queue. */
  queues: { all: string[]; deadLetter: string };
}

export interface ReadyChecks {
  postgres: boolean;
  redis: boolean;
  rabbitmq: boolean;
}

/** Ready only when every dependency answered: 200, else 503 with the checks that failed visible. */
export function readiness(instanceId: string, checks: ReadyChecks): { status: 200 | 503; body: { ready: boolean; instanceId: string; checks: ReadyChecks } } {
  const ready = Object.values(checks).every(Boolean);
  return { status: ready ? 200 : 503, body: { ready, instanceId, checks } };
}

export function opsRouter(d: OpsDeps): Router {
  const r = express.Router();
  r.get('/health', (_req, res) => {
    res.json({ status: 'ok', service: 'chat', instanceId: d.instanceId, connectedSockets: d.connectedSockets(), switches: d.switches });
  });
  r.get('/health/ready', async (_req, res) => {
    const checks: ReadyChecks = {
      postgres: await d.db.query('chat.ready', 'SELECT 1').then(() => true, () => false),
      redis: await d.redis.ping().then((p) => p === 'PONG', () => false),
      rabbitmq: d.publisher.link.connection !== null,
    };
    const { status, body } = readiness(d.instanceId, checks);
    res.status(status).json(body);
  });
  r.get('/metrics', async (_req, res) => {
    d.metrics.setSockets(d.connectedSockets());
    refreshPoolGauges();
    const depths = await queueDepths(d.publisher.link.connection, d.queues.all).catch(() => new Map<string, number>());
    for (const [q, n] of depths) d.metrics.setQueue(q, n);
    const dlq = depths.get(d.queues.deadLetter);
    if (dlq !== undefined) d.metrics.setDlq(dlq);
    res.type(d.registry.contentType).send(await d.registry.metrics());
  });
  return r;
}
