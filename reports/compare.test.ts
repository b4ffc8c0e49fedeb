import { describe, expect, it } from 'vitest';
import { compareRuns, DEFAULT_COMPARE } from './compare.ts';
import { literalRun } from './test-helpers.ts';

describe('compare mode', () => {
  const base = literalRun('base', { p99: 100, errorRate: 0.001, endpoints: ['feed', 'search'] });

  it('calls a P99 more than 10% worse a regression, naming the endpoint and percentile', () => {
    const head = literalRun('head', { p99: 120, errorRate: 0.001, endpoints: ['feed', 'search'] });
    const c = compareRuns(base, head);
    expect(c.regression).toBe(true);
    expect(c.deltas.filter((d) => d.regression).map((d) => `${d.endpoint} ${d.percentile} ${d.deltaPct}`)).toEqual(['(all requests) p99 20', 'feed p99 20', 'search p99 20']);
    expect(c.verdict).toBe('REGRESSION: (all requests) p99 +20%; feed p99 +20%; search p99 +20% (tolerance 10% and 1 ms)');
  });

  it('lets 5% pass, and honours a wider tolerance', () => {
    expect(compareRuns(base, literalRun('h', { p99: 105, errorRate: 0.001 })).regression).toBe(false);
    expect(compareRuns(base, literalRun('h', { p99: 120, errorRate: 0.001 }), { ...DEFAULT_COMPARE, tolerancePct: 25 }).regression).toBe(false);
  });

  it('ignores a large relative change smaller than the noise floor in ms', () => {
    const a = literalRun('a', { p99: 0.8 });
    expect(compareRuns(a, literalRun('b', { p99: 1.2 })).regression).toBe(false);
  });

  it('calls an error rate rising by more than one percentage point a regression', () => {
    const c = compareRuns(base, literalRun('h', { p99: 100, errorRate: 0.03 }));
    expect(c.errorRate.regression).toBe(true);
    expect(c.verdict).toBe('REGRESSION: error rate 0.10% -> 3.00% (tolerance 10% and 1 ms)');
  });

  it('shows p50 and p95 deltas without gating on them by default', () => {
    const head = literalRun('h', { p99: 100 });
    head.summary.totals.latencyMs.p50 = 1000;
    const c = compareRuns(base, head);
    expect(c.deltas.find((d) => d.endpoint === '(all requests)' && d.percentile === 'p50')).toMatchObject({ headMs: 1000, regression: false });
    expect(c.regression).toBe(false);
  });
});
