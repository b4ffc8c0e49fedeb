import { describe, expect, it } from 'vitest';
import { buildToxic } from '../stack/index.ts';
import { afterWindow, faultDetails, faultEdges, faultLabel, faultWindow, type FaultStep } from './faults.ts';

const disable = (id: string, startMs: number, stopMs: number): FaultStep => ({ id, proxy: 'redis', startMs, stopMs, action: { kind: 'disable' } });

describe('the method schedule', () => {
  it('orders starts and stops in time, stops first at the same instant', () => {
    const edges = faultEdges([disable('b', 1_000, 3_000), disable('a', 0, 1_000)]);
    expect(edges.map((e) => `${e.atMs} ${e.start ? 'start' : 'stop'} ${e.step.id}`)).toEqual(['0 start a', '1000 stop a', '1000 start b', '3000 stop b']);
  });

  it("places the 'during' window from the first start to the last stop, in run time", () => {
    expect(faultWindow([disable('a', 500, 2_000), disable('b', 0, 7_000)], 5_000)).toEqual({ startMs: 5_000, endMs: 12_000 });
  });

  it("keeps the 'after' window out of the fault window when the recovery is shorter than afterMs", () => {
    expect(afterWindow(40_000, 70_000, 5_000)).toEqual({ startMs: 65_000, endMs: 70_000 });
    expect(afterWindow(40_000, 42_000, 5_000)).toEqual({ startMs: 40_000, endMs: 42_000 });
  });
});

describe('a fault on the timeline', () => {
  it('labels a toxic by its attributes, a disabled proxy and a custom fault by its label', () => {
    const toxic: FaultStep = { id: 'latency', proxy: 'pgbouncer', startMs: 0, stopMs: 1, action: { kind: 'toxic', toxic: { ...buildToxic('latency', { latencyMs: 400 }), stream: 'downstream', toxicity: 1 } } };
    expect(faultLabel(toxic)).toBe('pgbouncer: latency latencyMs=400 jitterMs=0 (downstream, 100%)');
    expect(faultLabel(disable('down', 0, 1))).toBe('redis: proxy disabled');
    const custom: FaultStep = { id: 'hogs', proxy: 'pgbouncer-pool', startMs: 0, stopMs: 1, action: { kind: 'custom', label: '25 x pg_sleep', start: async () => {}, stop: async () => {} } };
    expect(faultLabel(custom)).toBe('pgbouncer-pool: 25 x pg_sleep');
  });

  it("keeps a custom fault's label but not its start and stop functions in the details", () => {
    const custom: FaultStep = { id: 'hogs', proxy: 'pool', startMs: 0, stopMs: 1, action: { kind: 'custom', label: 'slow queries', start: async () => {}, stop: async () => {} } };
    expect(faultDetails(custom)).toEqual({ step: 'hogs', proxy: 'pool', action: { kind: 'custom', label: 'slow queries' } });
    expect(faultDetails(disable('down', 0, 1))).toEqual({ step: 'down', proxy: 'redis', action: { kind: 'disable' } });
  });
});
