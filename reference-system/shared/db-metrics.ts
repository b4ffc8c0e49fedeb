/** The database provider's metrics: query time by name and outcome, unpooled connects, pool gauges. */
import type { Registry } from 'prom-client';
import type { DbProvider } from './context.ts';
import { failedQueryOutcome } from './db-errors.ts';
import { counter, gauge, histogram, LATENCY_BUCKETS_S } from './metrics.ts';
import { addDbTime } from './server-timing.ts';

export type DbMetrics = ReturnType<typeof dbMetrics>;

export function dbMetrics(registry: Registry) {
  return {
    duration: histogram(registry, {
      name: 'brink_db_query_duration_seconds',
      help: 'Query duration by service and catalog name (connect included when pooling is off)',
      labelNames: ['service', 'query', 'outcome'],
      buckets: LATENCY_BUCKETS_S,
    }),
    connects: counter(registry, { name: 'brink_db_unpooled_connects_total', help: 'Connections opened per query with pooling off (NF-1)', labelNames: ['service'] }),
    pools: gauge(registry, {
      name: 'brink_db_pool_connections',
      help: 'pg pool connections by state (in_use, idle, waiting = queued requests)',
      labelNames: ['service', 'module', 'state'],
    }),
  };
}

/** Runs a named query, timing it into the histogram and into the request's Server-Timing db time. */
export type QueryTimer = <T>(name: string, run: () => Promise<T>) => Promise<T>;

export function queryTimer(duration: DbMetrics['duration'], service: string): QueryTimer {
  return async (name, run) => {
    const end = duration.startTimer({ service, query: name });
    const started = performance.now();
    try {
      const r = await run();
      end({ outcome: 'ok' });
      return r;
    } catch (e) {
      end({ outcome: failedQueryOutcome(e) });
      throw e;
    } finally {
      addDbTime(performance.now() - started);
    }
  };
}

// One collect per registry would overwrite other providers' values; instead each provider
// refreshes its own label sets before a scrape through this hook.
const collectors = new Set<() => void>();

/** Refreshes every open provider's pool gauges; call before serialising the registry. */
export function refreshPoolGauges(): void {
  for (const fn of collectors) fn();
}

/** Keeps a provider's pool gauges refreshed before each scrape; returns the function that stops it. */
export function watchPoolGauges(gaugeOf: DbMetrics['pools'], service: string, stats: DbProvider['stats']): () => void {
  const refresh = () => {
    for (const s of stats()) {
      gaugeOf.set({ service, module: s.module, state: 'in_use' }, s.total - s.idle);
      gaugeOf.set({ service, module: s.module, state: 'idle' }, s.idle);
      gaugeOf.set({ service, module: s.module, state: 'waiting' }, s.waiting);
    }
  };
  collectors.add(refresh);
  return () => void collectors.delete(refresh);
}
