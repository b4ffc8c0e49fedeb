import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHistogram, encode, recordMs } from '../core/index.ts';
import { compareDirs, compareRuns, DEFAULT_COMPARE, DEFAULT_SIDES } from './compare.ts';
import { DEFAULT_RANK, rankCompare } from './compare/rank-compare.ts';
import type { CompareSide } from './compare/side.ts';
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

describe('compare with repeated runs (rank test)', () => {
  const RUN = { ...DEFAULT_RANK, unit: 'run' as const };
  /** One side: a run per entry of p99s, each with `windows` windows of 100 requests around that P99. */
  function side(label: string, p99s: number[], o: { errorsPerWindow?: number; windows?: number } = {}): CompareSide {
    return {
      label, dir: `/nowhere/${label}`,
      repetitions: p99s.map((p99, i) => ({
        entry: literalRun(`${label}-${i}`, { p99 }),
        source: 'histograms' as const,
        windows: Array.from({ length: o.windows ?? 4 }, (_, w) => ({ tMs: w * 5000, seconds: 5, requests: 100, errors: o.errorsPerWindow ?? 0, p50Ms: p99 / 4, p99Ms: p99 + (w % 2) })),
      })),
    };
  }

  it('calls a 25% slower P99 in all five runs a REGRESSION, with p=0.008 and a confidence interval', () => {
    const c = rankCompare(side('base', [100, 102, 98, 101, 99]), side('head', [125, 127, 123, 126, 124]), RUN);
    const p99 = c.metrics.find((m) => m.metric === 'p99')!;
    expect(p99).toMatchObject({ significant: true, regression: true, verdict: 'REGRESSION', test: { u: 25, method: 'exact' } });
    expect(p99.test.pValue).toBeCloseTo(2 / 252, 10);
    expect(p99.change.estimate).toBeCloseTo(24.8, 0);
    expect(p99.change.low).toBeGreaterThan(20);
    expect(p99.change.high).toBeLessThan(30);
    expect(c.regression).toBe(true);
    expect(c.verdict).toMatch(/^REGRESSION: p99 \+2\d\.\d% \[97% CI \+2\d\.\d% \.\. \+2\d\.\d%\], p=0\.008 \(Mann-Whitney U, 5 vs 5 runs, one sample per run, alpha 0\.05, tolerance 10%\)$/);
  });

  it('says ~ and NO REGRESSION for overlapping samples of the same variant', () => {
    const c = rankCompare(side('base', [100, 130, 95, 120, 105]), side('head', [110, 98, 125, 102, 118]), RUN);
    const p99 = c.metrics.find((m) => m.metric === 'p99')!;
    expect(p99.significant).toBe(false);
    expect(p99.verdict).toBe('~');
    expect(p99.test.pValue).toBeGreaterThan(0.5);
    expect(c.regression).toBe(false);
    expect(c.verdict).toMatch(/^NO REGRESSION: p99 ~ [+-]\d+\.\d% \[97% CI .*\], p=\d\.\d{3}; error rate ~ \+0\.00 pp/);
  });

  it('with one run per side says NOT SIGNIFICANT instead of guessing, even for +50%', () => {
    const c = rankCompare(side('base', [100]), side('head', [150]));
    expect(c.enoughRuns).toBe(false);
    expect(c.regression).toBe(false);
    expect(c.metrics.find((m) => m.metric === 'p99')).toMatchObject({ significant: false, verdict: '~', change: { low: null, high: null } });
    expect(c.verdict).toBe('NOT SIGNIFICANT: 1 vs 1 run; one run per side cannot tell a change from noise. Repeat each side (brink run ... --repeat 5) and compare again');
  });

  it('a significant change inside the tolerance is not a regression', () => {
    const c = rankCompare(side('base', [100, 101, 102, 103, 104]), side('head', [105, 106, 107, 108, 109]), RUN);
    expect(c.metrics.find((m) => m.metric === 'p99')).toMatchObject({ significant: true, regression: false, verdict: 'worse, within tolerance' });
    expect(c.regression).toBe(false);
  });

  it('gates the error rate in percentage points', () => {
    const c = rankCompare(side('base', [100, 100, 100, 100, 100], { errorsPerWindow: 0 }), side('head', [100, 100, 100, 100, 100], { errorsPerWindow: 3 }), RUN);
    const err = c.metrics.find((m) => m.metric === 'errorRate')!;
    expect(err).toMatchObject({ regression: true, change: { estimate: 3, unit: 'pp' } });
    expect(err.test.ties).toBe(true);
    expect(c.verdict).toMatch(/^REGRESSION: error rate \+3\.00 pp/);
  });

  it('says when too few repeats can never reach alpha', () => {
    const c = rankCompare(side('base', [100, 101]), side('head', [200, 201]), RUN);
    expect(c.regression).toBe(false);
    expect(c.notes).toContain('with 2 vs 2 runs the smallest p a rank test can give is 0.333, not below alpha 0.05: use more repeats (5 per side reach p=0.008)');
  });

  it('pools the windows of every run by default (unit "window": more samples, so significance from fewer runs)', () => {
    const c = rankCompare(side('base', [100, 101], { windows: 6 }), side('head', [130, 131], { windows: 6 }));
    const p99 = c.metrics.find((m) => m.metric === 'p99')!;
    expect(p99.base.values).toHaveLength(12);
    expect(p99.test.method).toBe('exact');
    expect(p99.regression).toBe(true);
  });
});

describe('compare directories on disk', () => {
  /** A run directory with summary.json and per-second histograms (windows.json) of `seconds` seconds. */
  function writeRun(dir: string, p99ish: number, seconds = 10) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'summary.json'), JSON.stringify(literalRun(dir, { p99: p99ish }).summary));
    const secs = Array.from({ length: seconds }, (_, s) => {
      const h = createHistogram();
      for (let i = 0; i < 100; i++) recordMs(h, i < 98 ? p99ish / 2 : p99ish);
      return { tMs: s * 1000, requests: 100, errors: 0, offered: 0, hist: encode(h) };
    });
    writeFileSync(join(dir, 'windows.json'), JSON.stringify({ windowMs: 1000, seconds: secs, series: {} }));
  }
  function writeRepeated(dir: string, p99s: number[]) {
    p99s.forEach((p, i) => writeRun(join(dir, `repeat-${i + 1}`), p));
    writeFileSync(join(dir, 'repeats.json'), JSON.stringify({ schemaVersion: 1, kind: 'repeats', scenario: 'feed', profile: 'smoke', engine: 'node', repetitions: p99s.length, runs: p99s.map((_, i) => ({ dir: `repeat-${i + 1}`, status: 'passed', requests: 1000, p99Ms: 0 })) }));
  }

  it('reads repeats.json sides, merges per-second histograms into 5 s windows, and gates on the rank test', () => {
    const tmp = mkdtempSync(join(tmpdir(), 'brink-compare-'));
    try {
      writeRepeated(join(tmp, 'base'), [100, 104, 98, 102, 101]);
      writeRepeated(join(tmp, 'head'), [140, 150, 145, 138, 142]);
      writeRun(join(tmp, 'single'), 100);
      const { comparison, base } = compareDirs(join(tmp, 'base'), join(tmp, 'head'));
      expect(base.repetitions).toHaveLength(5);
      expect(base.repetitions[0]!.windows.map((w) => w.seconds)).toEqual([5, 5]);
      expect(comparison.gate).toBe('rank');
      expect(comparison.regression).toBe(true);
      // Default unit: the 10 windows of each side's 5 runs, fully apart.
      expect(comparison.stats!.metrics[0]!.base.values).toHaveLength(10);
      expect(comparison.verdict).toMatch(/^REGRESSION: p99 \+\d+\.\d% .*p<0\.001 \(Mann-Whitney U, 5 vs 5 runs, one sample per 5s window, alpha 0\.05, tolerance 10%\)$/);
      const perRun = compareDirs(join(tmp, 'base'), join(tmp, 'head'), { ...DEFAULT_SIDES, unit: 'run' }).comparison;
      expect(perRun.verdict).toMatch(/^REGRESSION: p99 \+\d+\.\d% .*p=0\.008 \(Mann-Whitney U, 5 vs 5 runs, one sample per run,/);
      // The same directories under the old fixed gate: the first run of each side only.
      const fixed = compareDirs(join(tmp, 'base'), join(tmp, 'head'), { ...DEFAULT_SIDES, gate: 'fixed' }).comparison;
      expect(fixed.gate).toBe('fixed');
      expect(fixed.verdict).toBe('REGRESSION: (all requests) p99 +40%; home p99 +40% (tolerance 10% and 1 ms)');
      const single = compareDirs(join(tmp, 'single'), join(tmp, 'head'));
      expect(single.comparison.regression).toBe(false);
      expect(single.comparison.verdict).toMatch(/^NOT SIGNIFICANT: 1 vs 5 runs/);
      expect(() => compareDirs(join(tmp, 'nope'), join(tmp, 'head'))).toThrow(/^--compare base ".*nope" is not a readable run directory/);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
