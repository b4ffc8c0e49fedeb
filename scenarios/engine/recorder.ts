/**
 * Turns metric samples, in k6's shape (metric, value, tags, time), into the RunSummary parts:
 * metrics (with tag-filtered submetrics), per-endpoint and per-phase statistics, a 1 s time series
 * and HDR histograms. The Node engine feeds it live; the k6 normalizer feeds it k6's raw JSON
 * output, so both engines produce the same schema from the same code. Latencies go to HDR
 * histograms (flat memory, exact tails) and percentiles are read from merged histograms only.
 */
import {
  createHistogram,
  decode,
  encode,
  merge,
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
import { mergeWindowSeries, PerSecondSeries, type WindowSeries } from '../window-series.ts';

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

/** One second of the time series from its bucket (an empty second when nothing landed in it). */
function pointOf(tMs: number, b: Bucket | undefined): TimeSeriesPoint {
  return {
    tMs,
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
}

const newStats = (): RequestStats => ({ requests: 0, errors: 0, hist: createHistogram(), statusCounts: {} });

/**
 * Everything a Recorder gathered, as plain JSON with every histogram HDR-encoded: what a worker
 * thread hands back and what a segment's result file carries. States of the same plan merge
 * exactly (absorb): counts add up, histograms merge, seconds align on their offset from the start.
 */
export interface RecorderState {
  durationMs: number;
  types: Record<string, MetricType>;
  aggs: Record<string, AggState>;
  endpoints: Record<string, StatsState>;
  /** In the order of the phase definitions. */
  phases: Array<StatsState & { name: string }>;
  all: StatsState;
  seconds: SecondState[];
  /** Per-second aggregates of the threshold metrics (windowed thresholds). */
  windows?: WindowSeries;
}

export type AggState =
  | { type: 'trend'; hist: string }
  | { type: 'rate'; passes: number; fails: number }
  | { type: 'counter'; count: number }
  | { type: 'gauge'; value: number; min: number; max: number };

export interface StatsState {
  requests: number;
  errors: number;
  hist: string;
  statusCounts: Record<string, number>;
}

export interface SecondState {
  tMs: number;
  requests: number;
  errors: number;
  offered: number;
  vus?: number;
  sockets?: number;
  hist: string;
}

const statsToState = (s: RequestStats): StatsState => ({ requests: s.requests, errors: s.errors, hist: encode(s.hist), statusCounts: { ...s.statusCounts } });

function absorbStats(into: RequestStats, from: StatsState): void {
  into.requests += from.requests;
  into.errors += from.errors;
  merge(into.hist, decode(from.hist));
  for (const [k, v] of Object.entries(from.statusCounts)) into.statusCounts[k] = (into.statusCounts[k] ?? 0) + v;
}

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
  /** Closed seconds, histograms encoded, for toState(). */
  readonly #seconds: SecondState[] = [];
  /** Seconds absorbed from other recorders' states, by second; finish() builds the series from them. */
  readonly #absorbed = new Map<number, Bucket>();
  #lastSecond = -1;
  /** "name" tag -> "metric{name:…}" key per request trend: canonicalKey per request is costly. */
  readonly #nameKeys = new Map<string, Map<string, string>>();
  /** Index of the phase the last sample fell in: samples arrive in time order, almost always. */
  #phaseIdx = 0;
  /** Per-second aggregates of every metric a threshold names, for windowed thresholds. */
  readonly #windows: PerSecondSeries;
  readonly #absorbedWindows: WindowSeries[] = [];

  constructor(opts: { phases?: PhaseDef[]; submetrics?: ParsedMetricKey[]; types?: Record<string, MetricType> } = {}) {
    this.#types = { ...(opts.types ?? METRIC_TYPES) };
    this.#phases = (opts.phases ?? []).map((p) => ({ ...p, stats: newStats() }));
    this.#windows = new PerSecondSeries((opts.submetrics ?? []).map((s) => s.key));
    for (const s of opts.submetrics ?? []) {
      if (Object.keys(s.tags).length === 0) continue;
      // metric{name:X} of a request trend is always recorded per endpoint (see add): once is enough.
      if (REQUEST_TRENDS.has(s.name) && Object.keys(s.tags).join() === 'name') continue;
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
    this.#aggregate(metric, value, metric, tMs);
    for (const s of this.#subs.get(metric) ?? []) {
      if (Object.entries(s.tags).every(([k, v]) => tags[k] === v)) this.#aggregate(s.key, value, metric, tMs);
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
      if (tags.name) this.#aggregate(this.#nameKey(metric, tags.name), value, metric, tMs);
    } else if (metric === 'chat_failed' && value !== 0) {
      // An operation that never got its answer (ack timeout, connect error): an error without latency.
      this.#error(tags.name ?? metric, tMs, b);
    }
  }

  #nameKey(metric: string, name: string): string {
    let byName = this.#nameKeys.get(metric);
    if (!byName) this.#nameKeys.set(metric, (byName = new Map()));
    let key = byName.get(name);
    if (key === undefined) byName.set(name, (key = canonicalKey(metric, { name })));
    return key;
  }

  #aggregate(key: string, value: number, baseName = key, tMs?: number): void {
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
    if (tMs !== undefined && this.#windows.wants(key)) this.#windows.add(key, a.type, value, tMs);
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
    const cur = this.#phases[this.#phaseIdx]!;
    if (tMs >= cur.startMs && tMs < cur.endMs) return cur;
    const i = this.#phases.findIndex((p) => tMs >= p.startMs && tMs < p.endMs);
    if (i >= 0) {
      this.#phaseIdx = i;
      return this.#phases[i];
    }
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
      const point = pointOf(sec * 1000, b);
      out.push(point);
      this.#series.push(point);
      this.#seconds.push({
        tMs: point.tMs,
        requests: point.requests,
        errors: point.errors,
        offered: b?.offered ?? 0,
        ...(b?.vus !== undefined ? { vus: b.vus } : {}),
        ...(b?.sockets !== undefined ? { sockets: b.sockets } : {}),
        hist: b && b.hist.totalCount > 0 ? encode(b.hist) : '',
      });
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

  /** Adds another recorder's state (a worker's, a segment's) of the same plan to this one. */
  absorb(st: RecorderState): void {
    for (const [name, type] of Object.entries(st.types)) if (!this.#types[name]) this.#types[name] = type;
    for (const [key, a] of Object.entries(st.aggs)) {
      const mine = this.#aggs.get(key);
      if (!mine) {
        this.#aggs.set(key, a.type === 'trend' ? { type: 'trend', hist: decode(a.hist) } : { ...a });
        continue;
      }
      if (mine.type !== a.type) throw new Error(`metric ${key} is a ${mine.type} in one result and a ${a.type} in another`);
      if (mine.type === 'trend' && a.type === 'trend') merge(mine.hist, decode(a.hist));
      else if (mine.type === 'rate' && a.type === 'rate') (mine.passes += a.passes), (mine.fails += a.fails);
      else if (mine.type === 'counter' && a.type === 'counter') mine.count += a.count;
      else if (mine.type === 'gauge' && a.type === 'gauge') {
        // Gauges of parallel parts (VUs, sockets) add up.
        mine.value += a.value;
        mine.min += a.min;
        mine.max += a.max;
      }
    }
    for (const [name, e] of Object.entries(st.endpoints)) absorbStats(this.#endpointStats(name), e);
    if (st.phases.length !== this.#phases.length || st.phases.some((p, i) => p.name !== this.#phases[i]!.name)) {
      throw new Error(`phases differ: ${st.phases.map((p) => p.name).join(', ')} vs ${this.#phases.map((p) => p.name).join(', ')}`);
    }
    st.phases.forEach((p, i) => absorbStats(this.#phases[i]!.stats, p));
    absorbStats(this.#all, st.all);
    if (st.windows) this.#absorbedWindows.push(st.windows);
    for (const s of st.seconds) {
      let b = this.#absorbed.get(s.tMs);
      if (!b) this.#absorbed.set(s.tMs, (b = { requests: 0, errors: 0, hist: createHistogram(), offered: 0 }));
      b.requests += s.requests;
      b.errors += s.errors;
      b.offered += s.offered;
      if (s.vus !== undefined) b.vus = (b.vus ?? 0) + s.vus;
      if (s.sockets !== undefined) b.sockets = (b.sockets ?? 0) + s.sockets;
      if (s.hist) merge(b.hist, decode(s.hist));
    }
  }

  /** The merged time series: seconds aligned on their offset from each part's start. */
  #seriesFromAbsorbed(): void {
    this.#series.length = 0;
    this.#seconds.length = 0;
    const last = Math.max(...this.#absorbed.keys());
    for (let tMs = 0; tMs <= last; tMs += 1000) {
      const b = this.#absorbed.get(tMs);
      const point = pointOf(tMs, b);
      this.#series.push(point);
      this.#seconds.push({ tMs, requests: point.requests, errors: point.errors, offered: b?.offered ?? 0, ...(b?.vus !== undefined ? { vus: b.vus } : {}), ...(b?.sockets !== undefined ? { sockets: b.sockets } : {}), hist: b && b.hist.totalCount > 0 ? encode(b.hist) : '' });
    }
  }

  /** The state to hand to another recorder (after finish()). */
  toState(): RecorderState {
    const aggs: Record<string, AggState> = {};
    for (const [key, a] of this.#aggs) aggs[key] = a.type === 'trend' ? { type: 'trend', hist: encode(a.hist) } : { ...a };
    return {
      durationMs: this.#durationS * 1000,
      types: { ...this.#types },
      aggs,
      endpoints: Object.fromEntries([...this.#endpoints].map(([n, s]) => [n, statsToState(s)])),
      phases: this.#phases.map((p) => ({ name: p.name, ...statsToState(p.stats) })),
      all: statsToState(this.#all),
      seconds: [...this.#seconds],
      windows: mergeWindowSeries([this.#windows.toJSON(), ...this.#absorbedWindows]),
    };
  }

  finish(durationMs: number) {
    this.#durationS = Math.max(0.001, durationMs / 1000);
    this.flushBefore(Math.max(durationMs, (this.#lastSecond + 1) * 1000) + 1000);
    if (this.#absorbed.size > 0) this.#seriesFromAbsorbed();
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
    // Per-second histograms of all requests and per-second threshold metrics: compare and windowed thresholds.
    const windows = mergeWindowSeries([this.#windows.toJSON(), ...this.#absorbedWindows]);
    return { metrics, histograms, endpoints, phases, totals, timeSeries: [...this.#series], counters, seconds: [...this.#seconds], windows };
  }
}

const round = (n: number) => Math.round(n * 1000) / 1000;

/** One Recorder holding the merge of several states of the same plan (phases from the plan). */
export function mergeStates(states: RecorderState[], phases: PhaseDef[] = []): Recorder {
  const r = new Recorder({ phases });
  for (const st of states) r.absorb(st);
  return r;
}
