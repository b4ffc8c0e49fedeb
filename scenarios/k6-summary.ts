/**
 * k6's own numbers, normalized: handleSummary's JSON (metrics with k6's stat names, thresholds with
 * k6's verdicts) into RunSummary metrics and threshold results. Endpoints, phases and the time
 * series come from k6's raw output through the same Recorder the Node engine uses (k6-raw.ts).
 */
import type { MetricSummary, ThresholdResult, TrendValues } from '../core/index.ts';

/** The parts of k6's summary JSON (handleSummary's argument) brink reads. */
export interface K6Summary {
  state?: { testRunDurationMs?: number; isStdOutTTY?: boolean };
  metrics: Record<string, {
    type: 'trend' | 'rate' | 'counter' | 'gauge';
    contains?: string;
    values: Record<string, number>;
    thresholds?: Record<string, { ok: boolean }>;
  }>;
}

function trend(v: Record<string, number>): TrendValues {
  const n = (k: string) => v[k] ?? 0;
  return {
    count: n('count'),
    min: n('min'),
    mean: n('avg'),
    p50: v['p(50)'] ?? n('med'),
    p90: n('p(90)'),
    p95: n('p(95)'),
    p99: n('p(99)'),
    p999: n('p(99.9)'),
    max: n('max'),
  };
}

export function normalizeK6Metrics(summary: K6Summary): Record<string, MetricSummary> {
  const out: Record<string, MetricSummary> = {};
  for (const [key, m] of Object.entries(summary.metrics)) {
    const v = m.values;
    switch (m.type) {
      case 'trend': out[key] = { type: 'trend', values: trend(v) }; break;
      case 'rate': out[key] = { type: 'rate', values: { rate: v.rate ?? 0, passes: v.passes ?? 0, fails: v.fails ?? 0 } }; break;
      case 'counter': out[key] = { type: 'counter', values: { count: v.count ?? 0, ratePerSec: v.rate ?? 0 } }; break;
      case 'gauge': out[key] = { type: 'gauge', values: { value: v.value ?? 0, min: v.min ?? 0, max: v.max ?? 0 } }; break;
    }
  }
  return out;
}

/** k6's verdicts, with the measured value where the expression names one k6 reported. */
export function k6Thresholds(summary: K6Summary): ThresholdResult[] {
  const out: ThresholdResult[] = [];
  for (const [metric, m] of Object.entries(summary.metrics)) {
    for (const [expression, verdict] of Object.entries(m.thresholds ?? {})) {
      const agg = /^\s*([a-z]+(?:\([0-9.]+\))?)/.exec(expression)?.[1];
      const key = agg === 'med' ? 'med' : agg === 'count' && m.type === 'trend' ? 'count' : agg;
      const actual = key === undefined ? undefined : m.values[key];
      out.push({ metric, expression, ok: verdict.ok, ...(actual === undefined ? {} : { actual }) });
    }
  }
  return out;
}
