/**
 * Thresholds in k6's own syntax, honoured by both engines. A spec maps a metric (tag filters
 * allowed: `http_req_duration{name:feed}`) to expressions `AGG OP VALUE` where AGG is one of k6's
 * aggregations: p(N), avg, min, max, med (trends), rate (rates and counters), count (counters),
 * value (gauges). Expressions k6 would reject are rejected here, before any load is sent.
 *
 * One extension beyond k6, in its syntax family: a window. `p(99)<500 over 30s` must hold in every
 * 30 s window of the run (sliding by one second), so an outage inside a long run cannot pass;
 * `rate<0.001 burn 14.4x over 1m` is an SLO burn-rate rule: with an error budget of 0.1%, any
 * minute that consumes the budget 14.4 times faster than the sustainable pace fails. Both are
 * judged on the run's per-second series (scenarios/threshold-windows.ts).
 */
import { readFileSync } from 'node:fs';
import { invalidInput, type MetricSummary, type ThresholdResult } from '../core/index.ts';
import type { ThresholdsSpec } from './types.ts';
import { evaluateWindowed } from './threshold-windows.ts';
import { OPERATORS, holds, type Operator, type ParsedExpression } from './threshold-expression.ts';

export { OPERATORS, holds, type Operator, type ParsedExpression } from './threshold-expression.ts';
import type { WindowSeries } from './window-series.ts';

export type MetricType = MetricSummary['type'];
export interface ParsedMetricKey {
  key: string;
  name: string;
  tags: Record<string, string>;
}

/** Metric types of everything the scenarios emit, in both engines. */
export const METRIC_TYPES: Record<string, MetricType> = {
  http_req_duration: 'trend',
  http_req_waiting: 'trend',
  http_req_failed: 'rate',
  http_reqs: 'counter',
  iteration_duration: 'trend',
  iterations: 'counter',
  dropped_iterations: 'counter',
  checks: 'rate',
  vus: 'gauge',
  vus_max: 'gauge',
  rate_limited: 'counter',
  ws_connecting: 'trend',
  ws_sessions: 'counter',
  chat_connect_duration: 'trend',
  chat_ack_duration: 'trend',
  chat_delivery_duration: 'trend',
  chat_messages_sent: 'counter',
  chat_messages_acked: 'counter',
  chat_messages_delivered: 'counter',
  chat_deliveries_expected: 'counter',
  chat_errors: 'counter',
  chat_failed: 'rate',
  chat_spare_vus: 'counter',
  sockets: 'counter',
  iterations_offered: 'counter',
  iterations_queued: 'counter',
};

const COMMON = ['iteration_duration', 'iterations', 'dropped_iterations', 'checks', 'vus', 'vus_max', 'rate_limited'];
export const HTTP_METRICS = ['http_req_duration', 'http_req_waiting', 'http_req_failed', 'http_reqs', ...COMMON];
export const CHAT_METRICS = [
  'chat_connect_duration', 'chat_ack_duration', 'chat_delivery_duration', 'chat_messages_sent', 'chat_messages_acked',
  'chat_messages_delivered', 'chat_deliveries_expected', 'chat_errors', 'chat_failed', 'chat_spare_vus', 'ws_connecting', 'ws_sessions', ...COMMON,
];

/** Refuses thresholds on metrics a scenario never emits (k6 would stop with an error mid-start). */
export function checkMetricsEmitted(parsed: ParsedThreshold[], scenario: string, emitted: readonly string[]): void {
  for (const t of parsed) {
    if (!emitted.includes(t.metric.name)) {
      throw invalidInput(`threshold metric "${t.metric.name}" is not emitted by scenario ${scenario}; it emits: ${emitted.join(', ')}`);
    }
  }
}

const AGGREGATIONS: Record<MetricType, readonly string[]> = {
  trend: ['avg', 'min', 'max', 'med', 'p(N)'],
  rate: ['rate'],
  counter: ['count', 'rate'],
  gauge: ['value'],
};

// k6's grammar (thresholds/parser.go): aggregation, operator, number; blanks around the operator.
const EXPRESSION = /^\s*([a-z]+(?:\(\s*[0-9.]+\s*\))?)\s*(<=|>=|===|==|!=|<|>)\s*(-?\d+(?:\.\d+)?)\s*$/;
const METRIC_KEY = /^([a-zA-Z_][a-zA-Z0-9_.]*)(?:\{(.*)\})?$/;

export function parseMetricKey(key: string): ParsedMetricKey {
  const m = METRIC_KEY.exec(key.trim());
  if (!m) throw invalidInput(`threshold metric "${key}" is not NAME or NAME{tag:value}`);
  const tags: Record<string, string> = {};
  if (m[2] !== undefined) {
    for (const part of m[2].split(',')) {
      const idx = part.indexOf(':');
      const k = part.slice(0, idx).trim();
      const v = part.slice(idx + 1).trim();
      if (idx <= 0 || !k || !v) throw invalidInput(`threshold metric "${key}" has tag filter "${part.trim()}"; expected tag:value`);
      tags[k] = v;
    }
  }
  return { key: canonicalKey(m[1]!, tags), name: m[1]!, tags };
}

/** "name{a:1,b:2}" with sorted tags, so "{b:2, a:1}" and "{a:1,b:2}" name one submetric. */
export function canonicalKey(name: string, tags: Record<string, string>): string {
  const entries = Object.entries(tags).sort(([a], [b]) => a.localeCompare(b));
  return entries.length === 0 ? name : `${name}{${entries.map(([k, v]) => `${k}:${v}`).join(',')}}`;
}

// The window clause: "[burn FACTORx ]over DURATION", DURATION in whole ms, s, m or h.
const WINDOW_START = /\s(burn|over)(\s|$)/;
const WINDOW = /^(?:burn\s+(\d+(?:\.\d+)?)x\s+)?over\s+(\d+)(ms|s|m|h)$/;
const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;

function parseWindow(metricKey: string, source: string, clause: string): Pick<ParsedExpression, 'window' | 'burnFactor'> {
  const w = WINDOW.exec(clause);
  const bad = (why: string) =>
    invalidInput(`threshold "${source.trim()}" on ${metricKey} has window "${clause}": ${why}; expected e.g. "p(99)<500 over 30s" or "rate<0.001 burn 14.4x over 1m" (ms, s, m or h)`);
  if (!w) throw bad('not "over N(s|m|h)" or "burn Fx over N(s|m|h)"');
  const ms = Number(w[2]) * UNIT_MS[w[3] as keyof typeof UNIT_MS];
  // Windows are built from the run's per-second series.
  if (ms < 1000 || ms % 1000 !== 0) throw bad(`${w[2]}${w[3]} is not a whole number of seconds of at least 1s`);
  const burnFactor = w[1] === undefined ? undefined : Number(w[1]);
  if (burnFactor !== undefined && !(burnFactor > 0)) throw bad('the burn factor must be above 0');
  return { window: { ms, text: `${w[2]}${w[3]}` }, ...(burnFactor === undefined ? {} : { burnFactor }) };
}

/** Parses one expression, checking the aggregation against the metric's type as k6 does. */
export function validateExpression(metricKey: string, source: string, type?: MetricType): ParsedExpression {
  const at = source.trim().search(WINDOW_START);
  if (at > 0) {
    const clause = ['', source.trim().slice(0, at), source.trim().slice(at).trim().replace(/\s+/g, ' ')] as const;
    const windowed = parseWindow(metricKey, source, clause[2]);
    const base = validateExpression(metricKey, clause[1], type);
    if (windowed.burnFactor !== undefined && (base.aggregation !== 'rate' || (base.operator !== '<' && base.operator !== '<=') || !(base.value > 0))) {
      throw invalidInput(`threshold "${source.trim()}" on ${metricKey}: a burn rule needs "rate<BUDGET" with a budget above 0 (the error budget), not "${base.source}"`);
    }
    if (type === 'gauge') throw invalidInput(`threshold "${source.trim()}" on ${metricKey}: a gauge has no windows; drop "${clause[2]}"`);
    return { ...base, source: source.trim(), ...windowed };
  }
  const m = EXPRESSION.exec(source);
  if (!m) {
    throw invalidInput(`threshold "${source}" on ${metricKey} is not AGG OP NUMBER; expected e.g. p(99)<500, avg<=200, rate<0.001, count>0 with one of ${OPERATORS.join(' ')}`);
  }
  const [, aggRaw, op, num] = m as unknown as [string, string, Operator, string];
  const agg = aggRaw.replace(/\s+/g, '');
  let percentile: number | undefined;
  const pm = /^p\(([0-9.]+)\)$/.exec(agg);
  if (pm) {
    percentile = Number(pm[1]);
    if (!Number.isFinite(percentile) || percentile < 0 || percentile > 100) {
      throw invalidInput(`threshold "${source}" on ${metricKey} has percentile ${pm[1]}; expected 0..100`);
    }
  } else if (!['avg', 'min', 'max', 'med', 'rate', 'count', 'value'].includes(agg)) {
    throw invalidInput(`threshold "${source}" on ${metricKey} has aggregation "${agg}"; expected one of: p(N), avg, min, max, med, rate, count, value`);
  }
  if (type) {
    const allowed = AGGREGATIONS[type];
    const form = percentile === undefined ? agg : 'p(N)';
    if (!allowed.includes(form)) {
      throw invalidInput(`threshold "${source}" on ${metricKey}: a ${type} metric takes ${allowed.join(', ')}, not "${agg}"`);
    }
  }
  return { source: source.trim(), aggregation: agg, ...(percentile === undefined ? {} : { percentile }), operator: op, value: Number(num) };
}

export interface ParsedThreshold {
  metric: ParsedMetricKey;
  expressions: ParsedExpression[];
  /** The metric key as written in the spec (k6 reports verdicts under it). */
  written: string;
}

/**
 * Validates a spec (object, JSON text, or a file path) and returns it parsed. Unknown metrics are
 * rejected, as k6 rejects thresholds on metrics that do not exist.
 */
export function parseThresholds(input: ThresholdsSpec | string, metricTypes: Record<string, MetricType> = METRIC_TYPES): ParsedThreshold[] {
  const spec = typeof input === 'string' ? readSpec(input) : input;
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) {
    throw invalidInput('thresholds must be a JSON object of metric name -> list of expressions, e.g. {"http_req_duration": ["p(99)<500"]}');
  }
  const out: ParsedThreshold[] = [];
  for (const [written, list] of Object.entries(spec)) {
    const metric = parseMetricKey(written);
    const type = metricTypes[metric.name];
    if (!type) throw invalidInput(`threshold metric "${metric.name}" is not a metric these scenarios emit; expected one of: ${Object.keys(metricTypes).join(', ')}`);
    const items = Array.isArray(list) ? list : [list];
    const expressions = items.map((item: unknown) => {
      const src = typeof item === 'string' ? item : (item as { threshold?: unknown })?.threshold;
      if (typeof src !== 'string') throw invalidInput(`threshold on ${written} must be a string or {"threshold": "..."}, got ${JSON.stringify(item)}`);
      return validateExpression(written, src, type);
    });
    out.push({ metric, expressions, written });
  }
  return out;
}

/** A thresholds spec from a file path (or JSON text), not yet validated. */
export function readThresholdsSpec(pathOrJson: string): ThresholdsSpec {
  return readSpec(pathOrJson) as ThresholdsSpec;
}

function readSpec(pathOrJson: string): unknown {
  let text = pathOrJson;
  if (!pathOrJson.trim().startsWith('{')) {
    try {
      text = readFileSync(pathOrJson, 'utf8');
    } catch (e) {
      throw invalidInput(`thresholds file "${pathOrJson}" cannot be read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw invalidInput(`thresholds file "${pathOrJson}" is not valid JSON: ${(e as Error).message}`);
  }
}

/** Looks up an aggregation of a metric: the engine knows how (any percentile, from its histograms). */
export type AggregateLookup = (metricKey: string, expr: ParsedExpression) => number | undefined;

/**
 * Judges every expression: plain ones on the whole run (lookup), windowed ones on the run's
 * per-second series (without one, a windowed threshold fails: it cannot be judged).
 */
export function evaluateThresholds(parsed: ParsedThreshold[], lookup: AggregateLookup, windows?: WindowSeries, durationMs?: number): ThresholdResult[] {
  return parsed.flatMap((t) =>
    t.expressions.map((e): ThresholdResult => {
      if (e.window) return evaluateWindowed(t.written, t.metric.key, e, windows, durationMs);
      const actual = lookup(t.metric.key, e);
      return { metric: t.written, expression: e.source, ok: holds(e, actual), ...(actual === undefined ? {} : { actual }) };
    }),
  );
}

/** A lookup over summarised metrics (fixed percentiles only), e.g. a RunSummary read back from disk. */
export function lookupInSummary(metrics: Record<string, MetricSummary>): AggregateLookup {
  return (key, e) => {
    const m = metrics[key];
    if (!m) return undefined;
    if (m.type === 'trend') {
      const v = m.values;
      const byP: Record<number, number> = { 50: v.p50, 90: v.p90, 95: v.p95, 99: v.p99, 99.9: v.p999, 100: v.max, 0: v.min };
      if (e.percentile !== undefined) return byP[e.percentile];
      return { avg: v.mean, min: v.min, max: v.max, med: v.p50 }[e.aggregation];
    }
    if (m.type === 'rate') return m.values.rate;
    if (m.type === 'counter') return e.aggregation === 'count' ? m.values.count : m.values.ratePerSec;
    return m.values.value;
  };
}
