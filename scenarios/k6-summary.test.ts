import { describe, expect, it } from 'vitest';
import { k6Thresholds, normalizeK6Metrics, type K6Summary } from './k6-summary.ts';

// Trimmed from a real k6 v1.8.1 handleSummary of search-spike smoke (summaryTrendStats set by lib/brink.js).
const SUMMARY: K6Summary = {
  state: { isStdOutTTY: false, testRunDurationMs: 10001.580442 },
  metrics: {
    'http_req_duration{kind:search}': {
      type: 'trend',
      contains: 'time',
      values: { avg: 1.3056858039215684, med: 0.87457, 'p(90)': 1.475176, 'p(99)': 9.9494795, min: 0.653825, max: 17.218634, 'p(95)': 1.746264, 'p(99.9)': 16.491718550000044, count: 51 },
      thresholds: { 'p(99)<1000': { ok: true } },
    },
    http_req_failed: { values: { rate: 0, passes: 0, fails: 51 }, thresholds: { 'rate<0.001': { ok: true } }, type: 'rate', contains: 'default' },
    http_reqs: { type: 'counter', contains: 'default', values: { count: 51, rate: 5.099194101947513 } },
    vus: { contains: 'default', values: { value: 0, min: 0, max: 5 }, type: 'gauge' },
    chat_ack_duration: { type: 'trend', contains: 'time', values: { avg: 20, med: 10, 'p(90)': 40, 'p(95)': 50, 'p(99)': 150, 'p(99.9)': 170, min: 1, max: 171, count: 120 }, thresholds: { 'p(99)<100': { ok: false } } },
  },
};

describe('k6 summary normalization', () => {
  it("maps k6's stat names onto the RunSummary's", () => {
    const m = normalizeK6Metrics(SUMMARY);
    expect(m['http_req_duration{kind:search}']).toEqual({
      type: 'trend',
      values: { count: 51, min: 0.653825, mean: 1.3056858039215684, p50: 0.87457, p90: 1.475176, p95: 1.746264, p99: 9.9494795, p999: 16.491718550000044, max: 17.218634 },
    });
    expect(m.http_req_failed).toEqual({ type: 'rate', values: { rate: 0, passes: 0, fails: 51 } });
    expect(m.http_reqs).toEqual({ type: 'counter', values: { count: 51, ratePerSec: 5.099194101947513 } });
    expect(m.vus).toEqual({ type: 'gauge', values: { value: 0, min: 0, max: 5 } });
  });

  it("keeps k6's verdicts and attaches the measured value", () => {
    expect(k6Thresholds(SUMMARY)).toEqual([
      { metric: 'http_req_duration{kind:search}', expression: 'p(99)<1000', ok: true, actual: 9.9494795 },
      { metric: 'http_req_failed', expression: 'rate<0.001', ok: true, actual: 0 },
      { metric: 'chat_ack_duration', expression: 'p(99)<100', ok: false, actual: 150 },
    ]);
  });
});
