import { describe, expect, it } from 'vitest';
import { checkMetricsEmitted, evaluateThresholds, HTTP_METRICS, lookupInSummary, parseMetricKey, parseThresholds, validateExpression } from './thresholds.ts';
import { describeWindows, type WindowedThresholdResult } from './threshold-windows.ts';
import { PerSecondSeries } from './window-series.ts';
import { Recorder } from './engine/recorder.ts';

describe('threshold expressions (k6 grammar)', () => {
  it('parses every aggregation k6 accepts', () => {
    expect(validateExpression('m', 'p(99)<500')).toEqual({ source: 'p(99)<500', aggregation: 'p(99)', percentile: 99, operator: '<', value: 500 });
    expect(validateExpression('m', 'p(99.9) <= 1000').percentile).toBe(99.9);
    expect(validateExpression('m', 'avg>=1.5').operator).toBe('>=');
    expect(validateExpression('m', 'rate<0.001').value).toBe(0.001);
    expect(validateExpression('m', 'count != 0').operator).toBe('!=');
    expect(validateExpression('m', 'value==3').aggregation).toBe('value');
    expect(validateExpression('m', 'med>-1').value).toBe(-1);
  });

  it('rejects what k6 rejects, naming the expression and the metric', () => {
    expect(() => validateExpression('http_req_duration', 'p99<5')).toThrow(
      'threshold "p99<5" on http_req_duration is not AGG OP NUMBER; expected e.g. p(99)<500, avg<=200, rate<0.001, count>0 with one of <= >= === == != < >',
    );
    expect(() => validateExpression('x', 'p(99)<500ms')).toThrow('is not AGG OP NUMBER');
    expect(() => validateExpression('x', 'mean<5')).toThrow('threshold "mean<5" on x has aggregation "mean"; expected one of: p(N), avg, min, max, med, rate, count, value');
    expect(() => validateExpression('x', 'p(101)<5')).toThrow('has percentile 101; expected 0..100');
    expect(() => validateExpression('x', 'p(99)=<5')).toThrow('is not AGG OP NUMBER');
  });

  it('checks the aggregation against the metric type', () => {
    expect(() => validateExpression('http_req_failed', 'p(99)<1', 'rate')).toThrow('threshold "p(99)<1" on http_req_failed: a rate metric takes rate, not "p(99)"');
    expect(() => validateExpression('http_reqs', 'avg<1', 'counter')).toThrow('a counter metric takes count, rate, not "avg"');
    expect(validateExpression('http_reqs', 'count>10', 'counter').aggregation).toBe('count');
  });
});

describe('thresholds specs', () => {
  it('parses tag filters into a canonical submetric key', () => {
    expect(parseMetricKey('http_req_duration{ status:200 , name:feed }')).toEqual({ key: 'http_req_duration{name:feed,status:200}', name: 'http_req_duration', tags: { name: 'feed', status: '200' } });
    expect(() => parseMetricKey('http_req_duration{name}')).toThrow('threshold metric "http_req_duration{name}" has tag filter "name"; expected tag:value');
  });

  it('accepts k6 object form and rejects unknown metrics and bad JSON', () => {
    const parsed = parseThresholds({ 'http_req_duration{name:feed}': ['p(99)<500', { threshold: 'avg<100', abortOnFail: true }] });
    expect(parsed[0]!.expressions.map((e) => e.source)).toEqual(['p(99)<500', 'avg<100']);
    expect(() => parseThresholds({ latency: ['p(99)<5'] })).toThrow(/^threshold metric "latency" is not a metric these scenarios emit; expected one of: http_req_duration,/);
    expect(() => parseThresholds('{"http_req_duration": ["p(99)<5"]')).toThrow(/is not valid JSON/);
    expect(() => parseThresholds('/nonexistent/thresholds.json')).toThrow('thresholds file "/nonexistent/thresholds.json" cannot be read: ENOENT');
    expect(() => parseThresholds('[1]' as never)).toThrow();
  });

  it('evaluates against measured values; no samples fails', () => {
    const parsed = parseThresholds({ http_req_duration: ['p(99)<500', 'max<=100'], http_req_failed: ['rate<0.001'], chat_ack_duration: ['p(99)<100'] });
    const results = evaluateThresholds(
      parsed,
      lookupInSummary({
        http_req_duration: { type: 'trend', values: { count: 10, min: 1, mean: 50, p50: 40, p90: 90, p95: 95, p99: 499, p999: 600, max: 600 } },
        http_req_failed: { type: 'rate', values: { rate: 0.002, passes: 2, fails: 998 } },
      }),
    );
    expect(results).toEqual([
      { metric: 'http_req_duration', expression: 'p(99)<500', ok: true, actual: 499 },
      { metric: 'http_req_duration', expression: 'max<=100', ok: false, actual: 600 },
      { metric: 'http_req_failed', expression: 'rate<0.001', ok: false, actual: 0.002 },
      { metric: 'chat_ack_duration', expression: 'p(99)<100', ok: false },
    ]);
  });
});

describe('thresholds per scenario', () => {
  it('refuses a metric the scenario never emits, listing what it does emit', () => {
    const parsed = parseThresholds({ chat_ack_duration: ['p(99)<100'] });
    expect(() => checkMetricsEmitted(parsed, 'feed', HTTP_METRICS)).toThrow(
      'threshold metric "chat_ack_duration" is not emitted by scenario feed; it emits: http_req_duration, http_req_waiting, http_req_failed, http_reqs, iteration_duration, iterations, dropped_iterations, checks, vus, vus_max, rate_limited',
    );
    expect(() => checkMetricsEmitted(parseThresholds({ 'http_req_duration{name:feed}': ['p(99)<500'] }), 'feed', HTTP_METRICS)).not.toThrow();
  });
});

describe('windowed thresholds (over, burn)', () => {
  it('parses a window and a burn rule, keeping the whole expression as written', () => {
    expect(validateExpression('http_req_duration', 'p(99)<500 over 30s', 'trend')).toEqual({
      source: 'p(99)<500 over 30s', aggregation: 'p(99)', percentile: 99, operator: '<', value: 500, window: { ms: 30_000, text: '30s' },
    });
    expect(validateExpression('http_req_failed', 'rate<0.001 burn 14.4x over 1m', 'rate')).toMatchObject({ aggregation: 'rate', value: 0.001, burnFactor: 14.4, window: { ms: 60_000 } });
    expect(validateExpression('http_reqs', 'count>10  over  2m', 'counter').window).toEqual({ ms: 120_000, text: '2m' });
  });

  it('rejects a bad window in one line naming the expression', () => {
    expect(() => validateExpression('http_req_duration', 'p(99)<500 over 30', 'trend')).toThrow(
      'threshold "p(99)<500 over 30" on http_req_duration has window "over 30": not "over N(s|m|h)" or "burn Fx over N(s|m|h)"; expected e.g. "p(99)<500 over 30s" or "rate<0.001 burn 14.4x over 1m" (ms, s, m or h)',
    );
    expect(() => validateExpression('x', 'p(99)<500 over 1500ms', 'trend')).toThrow('has window "over 1500ms": 1500ms is not a whole number of seconds of at least 1s');
    expect(() => validateExpression('x', 'p(99)<500 over 30 s', 'trend')).toThrow('threshold "p(99)<500 over 30 s" on x has window "over 30 s"');
    expect(() => validateExpression('x', 'rate<0.001 burn 14.4 over 1m', 'rate')).toThrow('has window "burn 14.4 over 1m"');
    expect(() => validateExpression('x', 'p(99)<500 burn 2x over 1m', 'trend')).toThrow('threshold "p(99)<500 burn 2x over 1m" on x: a burn rule needs "rate<BUDGET"');
    expect(() => validateExpression('vus', 'value<5 over 10s', 'gauge')).toThrow('a gauge has no windows');
    expect(() => parseThresholds({ http_req_duration: ['p(99)<500 over 30x'] })).toThrow(/^threshold "p\(99\)<500 over 30x" on http_req_duration has window "over 30x"/);
  });

  /** 60 s at 100 requests a second of 10 ms, with `slow` 900 ms requests in second 40. */
  function latencyRun(slow: number) {
    const parsed = parseThresholds({ http_req_duration: ['p(99)<500', 'p(99)<500 over 30s'] });
    const series = new PerSecondSeries(['http_req_duration']);
    const whole = new Recorder({ submetrics: parsed.map((p) => p.metric) });
    for (let sec = 0; sec < 60; sec++) {
      for (let i = 0; i < 100; i++) {
        const ms = sec === 40 && i < slow ? 900 : 10;
        series.add('http_req_duration', 'trend', ms, sec * 1000 + i * 10);
        whole.add('http_req_duration', ms, { name: 'feed' }, sec * 1000 + i * 10);
      }
    }
    return evaluateThresholds(parsed, whole.lookup, series.toJSON(), 60_000) as WindowedThresholdResult[];
  }

  it('fails a window inside an otherwise passing run, naming the window', () => {
    const [run, windowed] = latencyRun(50); // 50 of 6,000 slow: 0.8% of the run, 1.7% of a 30 s window
    expect(run).toMatchObject({ expression: 'p(99)<500', ok: true });
    expect(run!.actual).toBeLessThan(11);
    expect(windowed).toMatchObject({ expression: 'p(99)<500 over 30s', ok: false, window: { lengthMs: 30_000, checked: 31, failed: 20, empty: 0, firstFailed: { startMs: 11_000, endMs: 41_000 } } });
    expect(windowed!.window!.firstFailed!.actual).toBeGreaterThan(899);
    expect(describeWindows(windowed!)).toMatch(/^failed in 20 of 31 windows of 30s; first 11s-41s \(90\d\.?\d*\), worst /);
  });

  it('passes every window when the slow second is diluted below 1% of each window', () => {
    const [, windowed] = latencyRun(20); // 20 of 3,000 in any window: 0.67%
    expect(windowed).toMatchObject({ ok: true, window: { checked: 31, failed: 0 } });
    expect(windowed!.actual).toBeLessThan(11);
  });

  /** 60 s at 1,000 requests a second; errors per second given by errorsAt(sec). */
  function errorRun(errorsAt: (sec: number) => number) {
    const parsed = parseThresholds({ http_req_failed: ['rate<0.001', 'rate<0.001 burn 14.4x over 10s'] });
    const series = new PerSecondSeries(['http_req_failed']);
    const whole = new Recorder({ submetrics: parsed.map((p) => p.metric) });
    for (let sec = 0; sec < 60; sec++) {
      for (let i = 0; i < 1000; i++) {
        const failed = i < errorsAt(sec) ? 1 : 0;
        series.add('http_req_failed', 'rate', failed, sec * 1000 + i);
        whole.add('http_req_failed', failed, {}, sec * 1000 + i);
      }
    }
    return evaluateThresholds(parsed, whole.lookup, series.toJSON(), 60_000) as WindowedThresholdResult[];
  }

  it('fails a burn-rate rule when one window burns the budget 20 times too fast', () => {
    const [, burn] = errorRun((sec) => (sec === 30 ? 200 : 0)); // 200 errors in 10,000 requests of a window: 2% = 20x a 0.1% budget
    expect(burn).toMatchObject({ ok: false, actual: 20, window: { checked: 51, failed: 10, burnFactor: 14.4, firstFailed: { startMs: 21_000, endMs: 31_000, actual: 20 } } });
    expect(describeWindows(burn!)).toBe('failed in 10 of 51 windows of 10s; first 21s-31s (burn 20x), worst 21s-31s (burn 20x)');
  });

  it('lets a slow, steady burn pass the burn rule that the plain rate threshold fails', () => {
    const [plain, burn] = errorRun(() => 2); // 0.2% everywhere: 2x the budget, below 14.4x
    expect(plain).toMatchObject({ ok: false, actual: 0.002 });
    expect(burn).toMatchObject({ ok: true, actual: 2, window: { failed: 0 } });
  });

  it('judges a run shorter than the window as one partial window, and fails without a series', () => {
    const parsed = parseThresholds({ http_req_duration: ['p(99)<500 over 1m'] });
    const series = new PerSecondSeries(['http_req_duration']);
    for (let t = 0; t < 5000; t += 10) series.add('http_req_duration', 'trend', 20, t);
    const [r] = evaluateThresholds(parsed, () => undefined, series.toJSON(), 5000) as WindowedThresholdResult[];
    expect(r).toMatchObject({ ok: true, window: { checked: 1, partial: true, worst: { startMs: 0, endMs: 5000 } } });
    expect(evaluateThresholds(parsed, () => 1)[0]).toMatchObject({ ok: false, window: { checked: 0 } });
  });
});

describe('the recorder keeps per-second series of the threshold metrics', () => {
  it('records every threshold key per second, submetrics included, and nothing else', () => {
    const parsed = parseThresholds({ 'http_req_duration{name:feed}': ['p(99)<500 over 2s'], http_req_failed: ['rate<0.001 burn 2x over 2s'] });
    const rec = new Recorder({ submetrics: parsed.map((p) => p.metric) });
    for (let t = 0; t < 3000; t += 100) {
      rec.add('http_req_duration', t < 1000 ? 10 : 20, { name: 'feed' }, t);
      rec.add('http_req_duration', 99, { name: 'other' }, t);
      rec.add('http_req_failed', t === 1500 ? 1 : 0, { name: 'feed' }, t);
    }
    const { windows, seconds } = rec.finish(3000);
    expect(Object.keys(windows).sort()).toEqual(['http_req_duration{name:feed}', 'http_req_failed']);
    expect(windows['http_req_duration{name:feed}']!.points.map((p) => p.tMs)).toEqual([0, 1000, 2000]);
    expect(windows.http_req_failed!.points.map((p) => [p.passes, p.fails])).toEqual([[0, 10], [1, 9], [0, 10]]);
    expect(seconds.filter((s) => s.requests > 0)).toHaveLength(3);
    const results = evaluateThresholds(parsed, rec.lookup, windows, 3000) as WindowedThresholdResult[];
    // Windows 0-2 s and 1-3 s: the feed submetric only (the 99 ms "other" requests are not in it).
    expect(results[0]).toMatchObject({ ok: true, window: { checked: 2, failed: 0 } });
    expect(results[0]!.actual).toBeCloseTo(20, 1);
    // 1 failure in 20 requests per 2 s window: 5% against a 0.1% budget is a burn of 50x.
    expect(results[1]).toMatchObject({ ok: false, actual: 50, window: { failed: 2, firstFailed: { startMs: 0, endMs: 2000, actual: 50 } } });
  });
});
