/**
 * Turns metric samples, in k6's shape (metric, value, tags, time), into the RunSummary parts:
 * metrics (with tag-filtered submetrics), per-endpoint and per-phase statistics, a 1 s time series
 * and HDR histograms. The Node engine feeds it live; the k6 normalizer feeds it k6's raw JSON
 * output, so both engines produce the same schema from the same code. Latencies go to HDR
 * histograms (flat memory, exact tails) and percentiles are read from merged histograms only.
 */
import {
  createHistogram,
  encode,
  percentileMs,
  recordMs,
  trendValues,
  type EndpointSummary,
  type LatencyHistogram,
  type MetricSummary,
  type PhaseSummary,
  type TimeSeriesPoint,
  type TrendValues,
} from '../../core/index.ts';
import { canonicalKey, METRIC_TYPES, type AggregateLookup, type MetricType, type ParsedMetricKey } from '../thresholds.ts';

export type Tags = Record<string, string>;

export interface PhaseDef {
  name: string;
  startMs: number;
  endMs: number;
  targetVus?: number;
  targetRatePerSec?: number;
}

/** Trends whose samples are "requests" for endpoints, phases, totals and the time series. */
const REQUEST_TRENDS = new Set(['http_req_duration', 'chat_ack_duration', 'chat_connect_duration']);

type Agg =
  | { type: 'trend'; hist: LatencyHistogram }
  | { type: 'rate'; passes: number; fails: number }
  | { type: 'counter'; count: number }
  | { type: 'gauge'; value: number; min: number; max: number };

interface RequestStats {
  requests: number;
  errors: number;
  hist: LatencyHistogram;
  statusCounts: Record<string, number>;
}

interface Bucket {
  requests: number;
  errors: number;
  hist: LatencyHistogram;
  vus?: number;
  sockets?: number;
  offered: number;
}

const newStats = (): RequestStats => ({ requests: 0, errors: 0, hist: createHistogram(), statusCounts: {} });

export class Recorder {
  readonly #types: Record<string, MetricType>;
  readonly #aggs = new Map<string, Agg>();
  /** Submetrics by base metric name, from thresholds (k6 only tracks those it is asked for). */
  readonly #subs = new Map<string, ParsedMetricKey[]>();
  readonly #endpoints = new Map<string, RequestStats>();
  readonly #phases: Array<PhaseDef & { stats: RequestStats }>;
  readonly #all = newStats();
  readonly #buckets = new Map<number, Bucket>();
  readonly #series: TimeSeriesPoint[] = [];
  #lastSecond = -1;

  constructor(opts: { phases?: PhaseDef[]; submetrics?: ParsedMetricKey[]; types?: Record<string, MetricType> } = {}) {
    this.#types = { ...(opts.types ?? METRIC_TYPES) };
    this.#phases = (opts.phases ?? []).map((p) => ({ ...p, stats: newStats() }));
    for (const s of opts.submetrics ?? []) {
      if (Object.keys(s.tags).length === 0) continue;
      const list = this.#subs.get(s.name) ?? [];
      if (!list.some((x) => x.key === s.key)) list.push(s);
      this.#subs.set(s.name, list);
    }
  }

  /** Declares a metric's type (k6's raw output announces each metric before its points). */
  defineType(name: string, type: MetricType): void {
    if (!this.#aggs.has(name)) this.#types[name] = type;
  }

  /** Records one sample. tMs is the time since the run started (for phases and the time series). */
  add(metric: string, value: number, tags: Tags, tMs: number): void {
    if (tags.group === '::setup' || tags.name === 'warmup') return; // warm-up, before the load
    this.#aggregate(metric, value);
    for (const s of this.#subs.get(metric) ?? []) {
      if (Object.entries(s.tags).every(([k, v]) => tags[k] === v)) this.#aggregate(s.key, value, metric);
    }
    const b = this.#bucket(tMs);
    if (metric === 'vus') b.vus = value;
    else if (metric === 'sockets') b.sockets = value;
    else if (metric === 'iterations_offered') b.offered += value;

    if (REQUEST_TRENDS.has(metric)) {
      const name = tags.name ?? tags.url ?? metric;
      const ok = tags.expected_response !== 'false';
      this.#request(name, value, ok, tags.status, tMs, b);
      // Per-endpoint submetric as k6 names it, so "http_req_duration{name:feed}" always exists.
      if (tags.name) this.#aggregate(canonicalKey(metric, { name: tags.name }), value, metric);
    } else if (metric === 'chat_failed' && value !== 0) {
      // An operation that never got its answer (ack timeout, connect error): an error without latency.
      this.#error(tags.name ?? metric, tMs, b);
    }
  }

  #aggregate(key: string, value: number, baseName = key): void {
    let a = this.#aggs.get(key);
    if (!a) {
      const type = this.#types[baseName] ?? 'counter';
      a = type === 'trend' ? { type, hist: createHistogram() } : type === 'rate' ? { type, passes: 0, fails: 0 } : type === 'counter' ? { type, count: 0 } : { type, value, min: value, max: value };
      this.#aggs.set(key, a);
    }
    switch (a.type) {
      case 'trend': recordMs(a.hist, value); break;
      case 'rate': if (value !== 0) a.passes += 1; else a.fails += 1; break;
      case 'counter': a.count += value; break;
      case 'gauge': a.value = value; a.min = Math.min(a.min, value); a.max = Math.max(a.max, value); break;
    }
  }

  #request(name: string, ms: number, ok: boolean, status: string | undefined, tMs: number, b: Bucket): void {
    const targets = [this.#endpointStats(name), this.#all, this.#phaseAt(tMs)?.stats];
    for (const s of targets) {
      if (!s) continue;
      s.requests += 1;
      if (!ok) s.errors += 1;
      recordMs(s.hist, ms);
      if (status !== undefined) s.statusCounts[status] = (s.statusCounts[status] ?? 0) + 1;
    }
    b.requests += 1;
    if (!ok) b.errors += 1;
    recordMs(b.hist, ms);
  }

  #error(name: string, tMs: number, b: Bucket): void {
    for (const s of [this.#endpointStats(name), this.#all, this.#phaseAt(tMs)?.stats]) {
      if (!s) continue;
      s.requests += 1;
      s.errors += 1;
      s.statusCounts.error = (s.statusCounts.error ?? 0) + 1;
    }
    b.requests += 1;
    b.errors += 1;
  }

  #endpointStats(name: string): RequestStats {
    let s = this.#endpoints.get(name);
    if (!s) this.#endpoints.set(name, (s = newStats()));
    return s;
  }

  #phaseAt(tMs: number) {
    if (this.#phases.length === 0) return undefined;
    return this.#phases.find((p) => tMs >= p.startMs && tMs < p.endMs) ?? (tMs >= this.#phases[this.#phases.length - 1]!.endMs ? this.#phases[this.#phases.length - 1] : this.#phases[0]);
  }

  #bucket(tMs: number): Bucket {
    const sec = Math.max(0, Math.floor(tMs / 1000));
    let b = this.#buckets.get(sec);
    if (!b) {
      // A sample for a second already closed (late, out of order) lands in the oldest open bucket.
      if (sec <= this.#lastSecond) return this.#bucket((this.#lastSecond + 1) * 1000);
      this.#buckets.set(sec, (b = { requests: 0, errors: 0, hist: createHistogram(), offered: 0 }));
    }
    return b;
  }

  /** Closes every second before tMs's second; returns the new time-series points. */
  flushBefore(tMs: number): TimeSeriesPoint[] {
    const upTo = Math.floor(tMs / 1000) - 1;
    const out: TimeSeriesPoint[] = [];
    for (let sec = this.#lastSecond + 1; sec <= upTo; sec++) {
      const b = this.#buckets.get(sec);
      this.#buckets.delete(sec);
      const point: TimeSeriesPoint = {
        tMs: sec * 1000,
        requests: b?.requests ?? 0,
        errors: b?.errors ?? 0,
        ratePerSec: b?.requests ?? 0,
        p50Ms: b ? percentileMs(b.hist, 50) : 0,
        p95Ms: b ? percentileMs(b.hist, 95) : 0,
        p99Ms: b ? percentileMs(b.hist, 99) : 0,
        ...(b?.offered ? { offeredRatePerSec: b.offered } : {}),
        ...(b?.vus !== undefined ? { vus: b.vus } : {}),
        ...(b?.sockets !== undefined ? { sockets: b.sockets } : {}),
      };
      out.push(point);
      this.#series.push(point);
      this.#lastSecond = sec;
    }
    return out;
  }

  /** What a display shows: totals and P99 so far. */
  soFar(): { requests: number; errors: number; p99Ms: number } {
    return { requests: this.#all.requests, errors: this.#all.errors, p99Ms: percentileMs(this.#all.hist, 99) };
  }

  /** Any aggregation of any metric, any percentile (thresholds). */
  readonly lookup: AggregateLookup = (key, e) => {
    const a = this.#aggs.get(key);
    if (!a) return undefined;
    if (a.type === 'trend') {
      if (a.hist.totalCount === 0) return undefined;
      if (e.percentile !== undefined) return percentileMs(a.hist, e.percentile);
      const v = trendValues(a.hist);
      return { avg: v.mean, min: v.min, max: v.max, med: v.p50 }[e.aggregation];
    }
    if (a.type === 'rate') return a.passes + a.fails === 0 ? undefined : a.passes / (a.passes + a.fails);
    if (a.type === 'counter') return e.aggregation === 'count' ? a.count : a.count / Math.max(1e-9, this.#durationS);
    return a.value;
  };

  #durationS = 1;

  finish(durationMs: number) {
    this.#durationS = Math.max(0.001, durationMs / 1000);
    this.flushBefore(Math.max(durationMs, (this.#lastSecond + 1) * 1000) + 1000);
    // Seconds still open (late samples) are flushed above; keep the series ordered.
    const perSec = (n: number) => n / this.#durationS;
    const metrics: Record<string, MetricSummary> = {};
    const histograms: Record<string, string> = {};
    for (const [key, a] of [...this.#aggs.entries()].sort(([x], [y]) => x.localeCompare(y))) {
      if (a.type === 'trend') {
        metrics[key] = { type: 'trend', values: trendValues(a.hist) };
        histograms[key] = encode(a.hist);
      } else if (a.type === 'rate') {
        const n = a.passes + a.fails;
        metrics[key] = { type: 'rate', values: { rate: n === 0 ? 0 : a.passes / n, passes: a.passes, fails: a.fails } };
      } else if (a.type === 'counter') {
        metrics[key] = { type: 'counter', values: { count: a.count, ratePerSec: round(perSec(a.count)) } };
      } else {
        metrics[key] = { type: 'gauge', values: { value: a.value, min: a.min, max: a.max } };
      }
    }
    const endpoints: EndpointSummary[] = [...this.#endpoints.entries()].map(([name, s]) => ({
      name,
      requests: s.requests,
      errors: s.errors,
      ratePerSec: round(perSec(s.requests)),
      latencyMs: trendValues(s.hist),
      statusCounts: s.statusCounts,
    }));
    for (const [name, s] of this.#endpoints) histograms[`endpoint:${name}`] = encode(s.hist);
    const phases: PhaseSummary[] = this.#phases.map((p) => ({
      name: p.name,
      startMs: p.startMs,
      endMs: p.endMs,
      ...(p.targetVus !== undefined ? { targetVus: p.targetVus } : {}),
      ...(p.targetRatePerSec !== undefined ? { targetRatePerSec: p.targetRatePerSec } : {}),
      requests: p.stats.requests,
      errors: p.stats.errors,
      ratePerSec: round(p.stats.requests / Math.max(0.001, (p.endMs - p.startMs) / 1000)),
      latencyMs: trendValues(p.stats.hist),
    }));
    histograms.all = encode(this.#all.hist);
    const totals = {
      requests: this.#all.requests,
      errors: this.#all.errors,
      errorRate: this.#all.requests === 0 ? 0 : this.#all.errors / this.#all.requests,
      ratePerSec: round(perSec(this.#all.requests)),
      latencyMs: trendValues(this.#all.hist) as TrendValues,
    };
    const counters: Record<string, number> = {};
    for (const [key, a] of this.#aggs) if (a.type === 'counter' && !key.includes('{')) counters[key] = a.count;
    return { metrics, histograms, endpoints, phases, totals, timeSeries: [...this.#series], counters };
  }
}

const round = (n: number) => Math.round(n * 1000) / 1000;
