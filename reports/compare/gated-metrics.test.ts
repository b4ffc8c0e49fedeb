/**
 * `--metrics`: which metrics can fail a comparison. Parsing (names, the rps alias, unknown names
 * refused by name), and both gates honouring the choice on repeated runs written to disk.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createHistogram, encode, recordMs } from '../../core/index.ts';
import { compareDirs, compareRuns, DEFAULT_COMPARE, DEFAULT_SIDES } from '../compare.ts';
import { literalRun } from '../test-helpers.ts';
import { parseGatedMetrics } from './gated-metrics.ts';

describe('parseGatedMetrics', () => {
  it('reads the CLI names (rps is throughput), in order, without duplicates or blanks', () => {
    expect(parseGatedMetrics('p99,p50,error_rate,rps')).toEqual(['p99', 'p50', 'errorRate', 'throughput']);
    expect(parseGatedMetrics(' P50 , throughput,, p50 ')).toEqual(['p50', 'throughput']);
    expect(parseGatedMetrics('error_rate')).toEqual(['errorRate']);
  });

  it('refuses an unknown metric by name, and an empty list', () => {
    expect(() => parseGatedMetrics('p99,p98')).toThrow('unknown --metrics metric "p98"; expected one of: p99, p50, error_rate, throughput, rps');
    expect(() => parseGatedMetrics('errorRate')).toThrow(/unknown --metrics metric "errorRate"/);
    expect(() => parseGatedMetrics(' , ')).toThrow('--metrics " , " names no metric');
  });
});

describe('the gates honour --metrics', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'brink-gated-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  /** A run whose P50 and P99 both scale with `ms`, no errors, 10 s of per-second histograms. */
  function writeRun(dir: string, ms: number) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'summary.json'), JSON.stringify(literalRun(dir, { p99: ms }).summary));
    const seconds = Array.from({ length: 10 }, (_, s) => {
      const h = createHistogram();
      for (let i = 0; i < 100; i++) recordMs(h, i < 98 ? ms / 2 : ms);
      return { tMs: s * 1000, requests: 100, errors: 0, offered: 0, hist: encode(h) };
    });
    writeFileSync(join(dir, 'windows.json'), JSON.stringify({ windowMs: 1000, seconds, series: {} }));
  }
  function writeRepeated(dir: string, ms: number[]) {
    ms.forEach((p, i) => writeRun(join(dir, `repeat-${i + 1}`), p));
    writeFileSync(join(dir, 'repeats.json'), JSON.stringify({ schemaVersion: 1, kind: 'repeats', scenario: 'feed', profile: 'smoke', engine: 'node', repetitions: ms.length, runs: ms.map((_, i) => ({ dir: `repeat-${i + 1}`, status: 'passed', requests: 1000, p99Ms: 0 })) }));
  }
  writeRepeated(join(tmp, 'base'), [100, 104, 98, 102, 101]);
  writeRepeated(join(tmp, 'head'), [140, 150, 145, 138, 142]);
  const cmp = (gate: 'rank' | 'fixed', gated: Parameters<typeof parseGatedMetrics>[0]) =>
    compareDirs(join(tmp, 'base'), join(tmp, 'head'), { ...DEFAULT_SIDES, gate, gated: parseGatedMetrics(gated) }).comparison;

  it('rank gate: a slower head regresses on p50 when p50 is gated, and not at all when only the error rate is', () => {
    const p50 = cmp('rank', 'p50');
    expect(p50.regression).toBe(true);
    expect(p50.verdict).toMatch(/^REGRESSION: p50 \+/);
    expect(p50.stats!.metrics.filter((m) => m.gated).map((m) => m.metric)).toEqual(['p50']);
    const errors = cmp('rank', 'error_rate');
    expect(errors.regression).toBe(false);
    expect(errors.verdict).toMatch(/^NO REGRESSION: error rate ~/);
    // Every metric is still measured and shown.
    expect(errors.stats!.metrics.map((m) => m.metric)).toEqual(['p99', 'p50', 'errorRate', 'throughput']);
  });

  it('fixed gate: the same choice (p50 gated, error rate alone does not fail on latency)', () => {
    const p50 = cmp('fixed', 'p50');
    expect(p50.regression).toBe(true);
    expect(p50.verdict).toBe('REGRESSION: (all requests) p50 +40%; home p50 +40% (tolerance 10% and 1 ms)');
    expect(cmp('fixed', 'error_rate').regression).toBe(false);
  });

  it('fixed gate: throughput gated catches a drop beyond the tolerance; the error rate ungated is shown, not judged', () => {
    const base = literalRun('b', { ratePerSec: 100, errorRate: 0.001 });
    const head = literalRun('h', { ratePerSec: 80, errorRate: 0.05 });
    const c = compareRuns(base, head, { ...DEFAULT_COMPARE, gatedPercentiles: [], gateErrorRate: false, gateThroughput: true });
    expect(c.regression).toBe(true);
    expect(c.verdict).toBe('REGRESSION: throughput -20% (tolerance 10% and 1 ms)');
    expect(c.errorRate.regression).toBe(false);
    expect(compareRuns(base, literalRun('h', { ratePerSec: 95 }), { ...DEFAULT_COMPARE, gateThroughput: true }).regression).toBe(false);
  });
});
