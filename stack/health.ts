/** Asks each component of a stack whether it answers, with a timeout each, in parallel. */
import pg from 'pg';
import { Redis } from 'ioredis';
import { connect } from 'amqplib';
import type { ComponentStatus, StackState } from './types.ts';

const TIMEOUT_MS = 3000;

async function probe(name: string, url: string, fn: () => Promise<string | void>, base?: ComponentStatus): Promise<ComponentStatus> {
  try {
    const timeout = new Promise<never>((_, reject) => {
      setTimeout(() => reject(new Error(`no answer in ${TIMEOUT_MS} ms`)), TIMEOUT_MS).unref();
    });
    const detail = await Promise.race([fn(), timeout]);
    return { ...base, name, url, healthy: true, ...(detail ? { detail } : {}) };
  } catch (e) {
    return { ...base, name, url, healthy: false, detail: (e as Error).message };
  }
}

async function sql(url: string): Promise<void> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: TIMEOUT_MS });
  await c.connect();
  try {
    await c.query('select 1');
  } finally {
    await c.end();
  }
}

export async function checkHealth(state: StackState): Promise<ComponentStatus[]> {
  const base = (n: string) => state.components.find((c) => c.name === n);
  const checks: Promise<ComponentStatus>[] = [
    probe('postgres', state.urls.postgres, () => sql(state.urls.postgres), base('postgres')),
    probe('pgbouncer', state.urls.pgbouncer, () => sql(state.urls.pgbouncer), base('pgbouncer')),
    probe('redis', state.urls.redis, async () => {
      const r = new Redis(state.urls.redis, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: TIMEOUT_MS });
      try {
        await r.connect();
        await r.ping();
      } finally {
        r.disconnect();
      }
    }, base('redis')),
    probe('rabbitmq', state.urls.amqp, async () => {
      const c = await connect(state.urls.amqp, { timeout: TIMEOUT_MS });
      await c.close();
    }, base('rabbitmq')),
  ];
  if (state.urls.toxiproxy) {
    checks.push(probe('toxiproxy', state.urls.toxiproxy, async () => {
      const res = await fetch(`${state.urls.toxiproxy}/version`, { signal: AbortSignal.timeout(TIMEOUT_MS) });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
    }, base('toxiproxy')));
  }
  const gateway = state.platform?.services.gateway;
  if (gateway) {
    checks.push(probe('platform', gateway, async () => {
      const res = await fetch(`${gateway}/health`, { signal: AbortSignal.timeout(TIMEOUT_MS) });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      return `${state.platform?.variant}`;
    }));
  }
  return Promise.all(checks);
}
