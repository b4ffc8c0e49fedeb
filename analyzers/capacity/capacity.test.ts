import { describe, expect, it } from 'vitest';
import type { PhaseSummary, RunSummary, TrendValues } from '../../core/index.ts';
import { NOVA_SLIS, capacityTable, headroom, renderCapacityTable, safeThroughput, sliTable } from './index.ts';

const trend = (p99: number, mean = p99 / 4, p95 = p99 / 2): TrendValues => ({ count: 1000, min: 1, mean, p50: mean, p90: p95, p95, p99, p999: p99 * 1.5, max: p99 * 2 });
const phase = (name: string, ratePerSec: number, p99: number, errors = 0): PhaseSummary => ({ name, startMs: 0, endMs: 60_000, requests: ratePerSec * 60, errors, ratePerSec, latencyMs: trend(p99) });

function run(over: Partial<RunSummary>): RunSummary {
  return {
    schemaVersion: 1,
    card: {} as RunSummary['card'],
    status: 'passed',
    totals: { requests: 1000, errors: 0, errorRate: 0, ratePerSec: 100, latencyMs: trend(100) },
    endpoints: [], phases: [], metrics: {}, timeSeries: [], thresholds: [], timeline: [], counters: {}, notes: [],
    ...over,
  };
}

describe('sliTable', () => {
  it('reads k6 metrics, then endpoints, and says NOT MEASURED for what the run lacks', () => {
    const r = run({
      metrics: { 'http_req_duration{name:feed}': { type: 'trend', values: trend(800) }, chat_ack_duration: { type: 'trend', values: trend(50) } },
      endpoints: [{ name: 'search', requests: 100, errors: 0, ratePerSec: 5, latencyMs: trend(2000), statusCounts: {} }],
    });
    expect(sliTable(r, NOVA_SLIS).map((x) => [x.id, x.measured, x.status])).toEqual([
      ['feed-p99', 800, 'FAIL'],
      ['message-send-p99', 50, 'PASS'],
      ['inter-service-p99', undefined, 'NOT MEASURED'],
      ['search-p99', 2000, 'FAIL'],
      ['feed-throughput', undefined, 'NOT MEASURED'],
      ['ws-concurrency', undefined, 'NOT MEASURED'],
    ]);
    expect(sliTable(r)[0]?.target).toBe('< 500 ms');
  });
});

describe('safeThroughput', () => {
  it('is the highest phase rate meeting the P99 target, with the knee', () => {
    const r = run({ phases: [phase('100/s', 100, 80), phase('200/s', 200, 210), phase('400/s', 400, 900), phase('300/s', 300, 450, 400)] });
    const s = safeThroughput(r, 500);
    expect([s.basis, s.safeRatePerSec, s.firstFailingRatePerSec]).toEqual(['phases', 200, 300]);
  });
  it('falls back to the time series and reports 0 when nothing met the target', () => {
    const r = run({ timeSeries: [{ tMs: 1000, requests: 50, errors: 0, ratePerSec: 50, p50Ms: 400, p95Ms: 700, p99Ms: 900 }] });
    expect(safeThroughput(r, 500)).toMatchObject({ basis: 'timeSeries', safeRatePerSec: 0, firstFailingRatePerSec: 50 });
    expect(safeThroughput(run({}), 500).basis).toBe('none');
  });
  it('computes headroom over an expected load', () => {
    expect(headroom(200, 1000)).toEqual({ ratio: 0.2, spareRatePerSec: -800 });
  });
});

describe('capacityTable', () => {
  it('puts baseline and optimized side by side with the improvement factor', () => {
    const b = run({ phases: [phase('a', 200, 300), phase('b', 400, 1500)], totals: { requests: 1, errors: 0, errorRate: 0.02, ratePerSec: 200, latencyMs: trend(1500, 250, 800) } });
    const o = run({ phases: [phase('a', 200, 50), phase('b', 2000, 280)], totals: { requests: 1, errors: 0, errorRate: 0.001, ratePerSec: 2000, latencyMs: trend(300, 50, 150) } });
    const rows = capacityTable(b, o, 500);
    expect(rows.map((r) => [r.metric, r.baseline, r.optimized, Math.round(r.improvement * 10) / 10])).toEqual([
      ['Safe throughput (P99 < 500 ms)', 200, 2000, 10],
      ['Throughput achieved', 200, 2000, 10],
      ['Mean latency', 250, 50, 5],
      ['P95 latency', 800, 150, 5.3],
      ['P99 latency', 1500, 300, 5],
      ['Error rate', 0.02, 0.001, 20],
    ]);
    expect(renderCapacityTable(rows)).toContain('| Error rate | 2.00% | 0.10% | 20.0x |');
  });
});
