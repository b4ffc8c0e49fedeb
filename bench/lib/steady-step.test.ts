import { describe, expect, it } from 'vitest';
import type { Attribution } from '../../core/index.ts';
import { cpuMsPerRequest, formatSeries, layoutOf, type StepResult } from './steady-step.ts';

const series = (cores: number[]) => ({ pids: [1], samples: cores.map((c, i) => ({ tMs: (i + 1) * 1000, cpuCores: c, rssMb: 1 })), cpuMeanCores: 0, cpuMaxCores: 0, rssMaxMb: 1 });

function step(okRequests: number, components: Attribution['components']): StepResult {
  const attribution: Attribution = { intervalMs: 1000, cpus: 2, components, pgbouncer: [], hops: [], saturated: [], notes: [] };
  return { layout: 'x', rate: 100, durationS: 2, achieved: okRequests / 2, okRequests, p50: 1, p99: 2, errorRate: 0, top: '-', saturated: '-', failures: 'none', load: '0 0 0', attribution, inWindow: 0, drained: 0, series: [] };
}

describe('cpuMsPerRequest', () => {
  it('divides each stack component’s CPU time over the sampled seconds by the answered requests, the generator left out', () => {
    const s = step(200, [
      { component: 'platform', ...series([0.5, 0.3]) },
      { component: 'postgres', ...series([0.1, 0.1]) },
      { component: 'load-generator', ...series([0.9, 0.9]) },
      { component: 'other (outside the stack)', ...series([1, 1]) },
    ]);
    // platform: 800 CPU-ms / 200 requests; postgres 200 / 200.
    expect(cpuMsPerRequest(s)).toEqual([
      { component: 'platform', ms: 4 },
      { component: 'postgres', ms: 1 },
    ]);
  });
});

describe('formatSeries', () => {
  it('shows a backlog: answers below the offered rate while the p99 climbs, then the drain', () => {
    const s = step(1, []);
    s.series = [0, 1, 2, 3].map((t) => ({ tS: t, offered: t < 2 ? 100 : 0, rate: 50, p99: 1000 * (t + 1), vus: 40 }));
    expect(formatSeries(s, 2)).toBe('0s: offered 100 done 50/s p99<=2000 ms vus 40 | 2s: offered 0 done 50/s p99<=4000 ms vus 40');
  });
});

describe('layoutOf', () => {
  it('reads one-process, split and gateway instances, and refuses anything else', () => {
    expect(layoutOf('one-process')).toEqual({ split: false, gatewayInstances: 1 });
    expect(layoutOf('split+2gw')).toEqual({ split: true, gatewayInstances: 2 });
    expect(() => layoutOf('three')).toThrow(/layout "three"/);
  });
});
