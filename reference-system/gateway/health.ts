/**
 * Readiness (LC-4): every dependency checked in parallel, each under its own timeout, so a dead
 * dependency makes /health/ready answer 503 naming it within the timeout instead of hanging.
 */
import amqp from 'amqplib';
import pg from 'pg';
import type { Redis } from 'ioredis';
import type { UpstreamGroup } from './proxy.ts';

export interface CheckResult {
  name: string;
  ok: boolean;
  latencyMs: number;
  error?: string;
}

export type Check = { name: string; run: () => Promise<void> };

export async function runChecks(checks: readonly Check[], timeoutMs: number): Promise<CheckResult[]> {
  return Promise.all(
    checks.map(async (c) => {
      const t0 = performance.now();
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          c.run(),
          new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs))),
        ]);
        return { name: c.name, ok: true, latencyMs: round(performance.now() - t0) };
      } catch (e) {
        return { name: c.name, ok: false, latencyMs: round(performance.now() - t0), error: (e as Error).message || String(e) };
      } finally {
        clearTimeout(timer);
      }
    }),
  );
}

const round = (ms: number) => Math.round(ms * 10) / 10;

export function postgresCheck(url: string, timeoutMs: number): Check {
  return {
    name: 'postgres',
    run: async () => {
      const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
      c.on('error', () => undefined);
      try {
        await c.connect();
        await c.query('SELECT 1');
      } finally {
        await c.end().catch(() => undefined);
      }
    },
  };
}

export function redisCheck(redis: Redis): Check {
  return {
    name: 'redis',
    run: async () => {
      const r = await redis.ping();
      if (r !== 'PONG') throw new Error(`PING answered ${r}`);
    },
  };
}

export function rabbitmqCheck(url: string, timeoutMs: number): Check {
  return {
    name: 'rabbitmq',
    run: async () => {
      const c = await amqp.connect(url, { timeout: timeoutMs });
      c.on('error', () => undefined);
      await c.close();
    },
  };
}

export function serviceCheck(group: UpstreamGroup, timeoutMs: number): Check {
  return {
    name: group.service,
    run: async () => {
      await Promise.all(
        group.members.map(async (m) => {
          const r = await m.forward({ method: 'GET', path: '/health', headers: {}, timeoutMs });
          if (r.status !== 200) throw new Error(`${m.baseUrl}/health answered ${r.status}`);
        }),
      );
    },
  };
}

export interface ReadinessAnswer {
  status: 200 | 503;
  body: { status: 'ready' | 'unavailable'; reason?: string; failing: string[]; checks: CheckResult[] };
}

/** GET /health/ready's answer: 200 when every check passed, else 503 naming each failing dependency and why. */
export function readinessAnswer(results: CheckResult[]): ReadinessAnswer {
  const failing = results.filter((r) => !r.ok);
  const names = failing.map((r) => r.name);
  if (failing.length === 0) return { status: 200, body: { status: 'ready', failing: names, checks: results } };
  const reason = `not ready: ${failing.map((r) => `${r.name} (${r.error})`).join(', ')}`;
  return { status: 503, body: { status: 'unavailable', reason, failing: names, checks: results } };
}
