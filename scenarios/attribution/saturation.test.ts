import { describe, expect, it } from 'vitest';
import type { ComponentSeries } from '../../core/index.ts';
import { findSaturation, topConsumer } from './saturation.ts';

const series = (component: string, cores: number[], loop?: { util: number; lag: number }): ComponentSeries => ({
  component,
  pids: [1],
  samples: cores.map((c, i) => ({ tMs: i * 1000, cpuCores: c, rssMb: 10, ...(loop ? { loopUtilization: loop.util, loopLagP99Ms: loop.lag } : {}) })),
  cpuMeanCores: cores.reduce((a, b) => a + b, 0) / cores.length,
  cpuMaxCores: Math.max(...cores),
  rssMaxMb: 10,
  ...(loop ? { loopLagP99MaxMs: loop.lag } : {}),
});

describe('findSaturation', () => {
  it('ranks a busy Node event loop above a half-used Postgres on two cores', () => {
    const out = findSaturation({ cpus: 2, components: [series('postgres', [1, 1]), series('gateway-1', [0.95, 0.97], { util: 0.98, lag: 40 })], pgbouncer: [] });
    expect(out.map((f) => f.resource)).toEqual(['gateway-1 event loop', 'postgres CPU']);
    expect(out[0]!.level).toBeCloseTo(0.98 / 0.9, 5);
    expect(out[1]!.level).toBeCloseTo(0.5, 5);
  });

  it('reports PgBouncer clients waiting as a pool limit, and nothing when none waited', () => {
    const waiting = findSaturation({ cpus: 2, components: [], pgbouncer: [{ tMs: 0, clientsActive: 30, clientsWaiting: 50, serversActive: 25, serversIdle: 0, maxWaitMs: 1500 }] });
    expect(waiting[0]).toEqual({ resource: 'PgBouncer pool', level: 2, evidence: 'up to 50 clients waiting for one of 25 server connections (longest wait 1500 ms)' });
    const none = findSaturation({ cpus: 2, components: [], pgbouncer: [{ tMs: 0, clientsActive: 3, clientsWaiting: 0, serversActive: 3, serversIdle: 5, maxWaitMs: 0 }] });
    expect(none[0]!.level).toBe(0);
  });

  it('counts the whole machine, other processes included', () => {
    const out = findSaturation({ cpus: 2, components: [series('redis', [0.1])], pgbouncer: [], machineBusyCores: [1.9, 2] });
    expect(out[0]).toEqual({ resource: 'machine CPU', level: 0.975, evidence: '1.95 of 2 cores busy on average (every process on the machine)' });
  });

  it('blames the full machine, not a Node loop that ran on a fraction of a core', () => {
    const out = findSaturation({ cpus: 2, components: [series('gateway-1', [0.2, 0.2], { util: 0.98, lag: 800 }), series('other (outside the stack)', [1.5, 1.5])], pgbouncer: [], machineBusyCores: [2, 2] });
    expect(out.map((f) => f.resource)).toEqual(['machine CPU', 'gateway-1 event loop']);
    expect(out[0]!.evidence).toBe('2.00 of 2 cores busy on average (every process on the machine; 1.50 of them outside the stack and the load generator)');
    expect(out[1]!.evidence).toMatch(/starved of CPU/);
  });
});

describe('topConsumer', () => {
  it('names the component with the most CPU, never the rest of the machine', () => {
    expect(topConsumer([series('other (outside the stack)', [1.5]), series('postgres', [0.6]), series('redis', [0.1])], 2)).toEqual({ component: 'postgres', cpuMeanCores: 0.6, shareOfMachine: 0.3 });
  });
});
