import { describe, expect, it } from 'vitest';
import { checkMetricsEmitted, evaluateThresholds, HTTP_METRICS, lookupInSummary, parseMetricKey, parseThresholds, validateExpression } from './thresholds.ts';

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
