import { Redis } from 'ioredis';
import { createHistogram, recordMs, trendValues } from '../../core/index.ts';
import type { ClaimProbe } from '../probe.ts';
import { fact, judged, type ProbeResult } from '../verdict.ts';
import { n } from './lib.ts';

/** Cache-like commands at a fixed concurrency through a pool of `size` Redis connections. */
export interface PoolRun {
  size: number;
  opsPerSec: number;
  p99Ms: number;
}

export interface Nv7Measurement {
  concurrency: number;
  runs: PoolRun[];
}

/** A larger pool "is needed" only if it buys at least 10% more throughput than the default 10. */
const gain = (m: Nv7Measurement, size: number) => {
  const base = m.runs.find((r) => r.size === 10);
  const r = m.runs.find((x) => x.size === size);
  return base && r && base.opsPerSec > 0 ? r.opsPerSec / base.opsPerSec - 1 : undefined;
};

export function judgeNv7(m: Nv7Measurement): ProbeResult {
  const one = m.runs.find((r) => r.size === 1);
  const ten = m.runs.find((r) => r.size === 10);
  const g15 = gain(m, 15);
  const g20 = gain(m, 20);
  const pct = (x: number | undefined) => (x === undefined ? '-' : `${x >= 0 ? '+' : ''}${(x * 100).toFixed(0)}%`);
  return judged(
    'NV-7',
    `GET/SETEX of cache-sized JSON against the stack's Redis at ${m.concurrency} concurrent operations (a busy service's cache traffic), through pools of 1, 10, 15 and 20 connections (ioredis, round robin), two rounds in opposite orders, the better kept`,
    m.runs.map((r) => `pool ${r.size}: ${r.opsPerSec.toFixed(0)} ops/s, p99 ${r.p99Ms.toFixed(1)} ms`).join('; '),
    [
      fact('a pool of 10 by default serves a service (at least as fast as one pipelined connection)', one && ten ? ten.opsPerSec >= one.opsPerSec * 0.9 : undefined, one && ten ? `${ten.opsPerSec.toFixed(0)} vs ${one.opsPerSec.toFixed(0)} ops/s` : ''),
      fact('feed needs 15 (>= 10% more than 10)', g15 === undefined ? undefined : g15 >= 0.1, pct(g15)),
      fact('chat needs 20 (>= 10% more than 10)', g20 === undefined ? undefined : g20 >= 0.1, pct(g20)),
    ],
    Object.fromEntries(m.runs.map((r) => [`opsPerSecPool${r.size}`, r.opsPerSec])),
  );
}

/** NV-7: does a Redis pool of 10, 15 or 20 connections serve more than one multiplexed connection? */
export const nv7RedisPools: ClaimProbe = {
  id: 'nv-7-redis-pools',
  claimIds: ['NV-7'],
  description: 'runs the same cache-like Redis load through pools of 1, 10, 15 and 20 connections',
  profiles: ['smoke', 'full'],
  async run(ctx) {
    const concurrency = 200;
    const ops = n(ctx, 10_000, 60_000);
    const value = JSON.stringify({ items: Array.from({ length: 20 }, (_, i) => ({ id: i, body: 'x'.repeat(120) })) });
    const runs: PoolRun[] = [];
    // Two rounds in opposite orders (the machine is noisy); each size keeps its better round.
    for (const size of [1, 10, 15, 20, 20, 15, 10, 1]) {
      const pool = Array.from({ length: size }, () => new Redis(ctx.stack.urls.redis, { keyPrefix: 'brink:assess-nv7:', maxRetriesPerRequest: 1 }));
      try {
        await Promise.all(pool.map((r) => r.ping()));
        const h = createHistogram();
        let next = 0;
        const t0 = performance.now();
        await Promise.all(Array.from({ length: concurrency }, async () => {
          while (next < ops) {
            const i = next++;
            const r = pool[i % size]!;
            const s = performance.now();
            if (i % 4 === 0) await r.setex(`k${i % 500}`, 60, value);
            else await r.get(`k${i % 500}`);
            recordMs(h, performance.now() - s);
          }
        }));
        const run = { size, opsPerSec: (ops * 1000) / (performance.now() - t0), p99Ms: trendValues(h).p99 };
        const prev = runs.findIndex((r) => r.size === size);
        if (prev < 0) runs.push(run);
        else if (run.opsPerSec > runs[prev]!.opsPerSec) runs[prev] = run;
      } finally {
        for (const r of pool) r.disconnect();
      }
    }
    return [judgeNv7({ concurrency, runs })];
  },
};
