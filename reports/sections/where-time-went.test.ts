import { describe, expect, it } from 'vitest';
import type { Attribution } from '../../core/index.ts';
import { buildModel } from '../model.ts';
import { inputsWith, literalRun } from '../test-helpers.ts';
import { whereTimeWent } from './where-time-went.ts';

const attribution: Attribution = {
  intervalMs: 1000,
  cpus: 2,
  components: [
    { component: 'platform (all services)', pids: [10], samples: [{ tMs: 1000, cpuCores: 0.9, rssMb: 200, loopLagP99Ms: 150, loopUtilization: 0.97 }, { tMs: 2000, cpuCores: 1, rssMb: 210, loopLagP99Ms: 180, loopUtilization: 0.99 }], cpuMeanCores: 0.95, cpuMaxCores: 1, rssMaxMb: 210, loopLagP99MaxMs: 180 },
    { component: 'postgres', pids: [20, 21], samples: [{ tMs: 1000, cpuCores: 0.3, rssMb: 900 }, { tMs: 2000, cpuCores: 0.4, rssMb: 910 }], cpuMeanCores: 0.35, cpuMaxCores: 0.4, rssMaxMb: 910 },
  ],
  pgbouncer: [{ tMs: 1000, clientsActive: 10, clientsWaiting: 3, serversActive: 5, serversIdle: 0, maxWaitMs: 120 }],
  hops: [{ service: 'posts', requests: 100, totalMeanMs: 20, gatewayMeanMs: 2, transitMeanMs: 10, serviceMeanMs: 5, dbMeanMs: 3 }],
  saturated: [{ resource: 'platform (all services) event loop', level: 1.8, evidence: 'loop busy 98% on average, lag p99 up to 180 ms, 0.95 cores' }],
  topConsumer: { component: 'platform (all services)', cpuMeanCores: 0.95, shareOfMachine: 0.475 },
  notes: [],
};

describe('the where-the-time-went section', () => {
  it('names the most saturated resource, charts CPU per component and tables hops', () => {
    const run = literalRun('r1');
    run.summary.attribution = attribution;
    const blocks = whereTimeWent.render(buildModel(inputsWith({ runs: [run] })));
    expect(blocks[0]).toEqual({ kind: 'heading', text: 'r1' });
    expect(blocks[1]).toEqual({ kind: 'paragraph', tone: 'bad', text: 'Most saturated: platform (all services) event loop (180% of its limit): loop busy 98% on average, lag p99 up to 180 ms, 0.95 cores.' });
    const chart = blocks.find((b) => b.kind === 'chart');
    expect(chart && chart.kind === 'chart' && (chart.spec.data as { values: unknown[] }).values).toHaveLength(4);
    const tables = blocks.filter((b) => b.kind === 'table');
    expect(tables).toHaveLength(3);
    expect(tables[2]!.kind === 'table' && tables[2]!.rows[0]).toEqual(['posts', 100, '20.0', '2.0', '10.0', '5.0', '3.0']);
    expect(blocks.some((b) => b.kind === 'paragraph' && b.text === 'PgBouncer: up to 3 clients waiting for a server connection, longest wait 120 ms.')).toBe(true);
  });

  it('says plainly when no run sampled its stack', () => {
    expect(whereTimeWent.render(buildModel(inputsWith({ runs: [literalRun('r1')] })))).toEqual([
      { kind: 'empty', text: 'No run sampled its stack (attribution is recorded by brink run on a local stack).' },
    ]);
  });
});
