/**
 * The report's Vega-Lite charts, one builder each. They take plain data from the model and return a
 * spec with inline values; untrusted strings (run labels, endpoint names, fault labels) travel as
 * data and vega escapes them when it writes the SVG.
 */
import type { ClaimResult, RunSummary, TimelineEvent } from '../../core/index.ts';
import { downsample } from './downsample.ts';
import type { PoolBudgetView, RunEntry, ScenarioRow, VegaLiteSpec } from '../types.ts';

const WIDTH = 640;
const HEIGHT = 180;
const secs = (ms: number) => Math.round(ms / 100) / 10;

export interface FaultWindow { startS: number; endS: number; label: string }

/** Pairs fault-start with the next fault-stop of the same label (else the next stop, else run end). */
export function faultWindows(timeline: readonly TimelineEvent[], endMs: number): FaultWindow[] {
  const events = [...timeline].sort((a, b) => a.tMs - b.tMs);
  const used = new Set<number>();
  const out: FaultWindow[] = [];
  events.forEach((e, i) => {
    if (e.kind !== 'fault-start') return;
    let j = events.findIndex((s, k) => k > i && !used.has(k) && s.kind === 'fault-stop' && s.label === e.label);
    if (j < 0) j = events.findIndex((s, k) => k > i && !used.has(k) && s.kind === 'fault-stop');
    if (j >= 0) used.add(j);
    out.push({ startS: secs(e.tMs), endS: secs(j >= 0 ? events[j]!.tMs : endMs), label: e.label });
  });
  return out;
}

function faultLayer(windows: FaultWindow[]): VegaLiteSpec[] {
  if (windows.length === 0) return [];
  return [{
    data: { values: windows },
    mark: { type: 'rect', opacity: 0.18 },
    encoding: {
      x: { field: 'startS', type: 'quantitative' }, x2: { field: 'endS' },
      color: { datum: 'fault window', type: 'nominal', title: null, scale: { domain: ['fault window'], range: ['#e45756'] } },
    },
  }];
}

export function latencyOverTime(run: RunSummary, timeline: readonly TimelineEvent[] = run.timeline): VegaLiteSpec {
  const values = downsample(run.timeSeries).flatMap((p) => [
    { t: secs(p.tMs), series: 'p50', ms: p.p50Ms },
    { t: secs(p.tMs), series: 'p95', ms: p.p95Ms },
    { t: secs(p.tMs), series: 'p99', ms: p.p99Ms },
  ]);
  return {
    width: WIDTH, height: HEIGHT,
    title: 'Latency percentiles over time (fault windows shaded)',
    layer: [
      ...faultLayer(faultWindows(timeline, run.card.durationMs)),
      ...failedWindowLayer(failedThresholdWindows(run)),
      {
        data: { values },
        mark: { type: 'line', strokeWidth: 1.5 },
        encoding: {
          x: { field: 't', type: 'quantitative', title: 'time since start (s)' },
          y: { field: 'ms', type: 'quantitative', title: 'latency (ms)' },
          color: { field: 'series', type: 'nominal', title: null },
        },
      },
    ],
    resolve: { scale: { color: 'independent' } },
  };
}

/** The first failing window of each windowed threshold (`p(99)<500 over 30s`), from the run's verdicts. */
export function failedThresholdWindows(run: RunSummary): FaultWindow[] {
  const out: FaultWindow[] = [];
  for (const t of run.thresholds as Array<RunSummary['thresholds'][number] & { window?: { firstFailed?: { startMs: number; endMs: number } } }>) {
    const w = t.window?.firstFailed;
    if (!t.ok && w) out.push({ startS: secs(w.startMs), endS: secs(w.endMs), label: `${t.metric} ${t.expression}` });
  }
  return out;
}

/** Failed threshold windows, outlined (fault windows are filled). */
function failedWindowLayer(windows: FaultWindow[]): VegaLiteSpec[] {
  if (windows.length === 0) return [];
  return [{
    data: { values: windows },
    mark: { type: 'rect', opacity: 0.12, stroke: '#b279a2', strokeWidth: 2, strokeDash: [4, 2] },
    encoding: {
      x: { field: 'startS', type: 'quantitative' }, x2: { field: 'endS' },
      color: { datum: 'failed threshold window', type: 'nominal', title: null, scale: { domain: ['failed threshold window'], range: ['#b279a2'] } },
      tooltip: [{ field: 'label', type: 'nominal', title: 'threshold' }],
    },
  }];
}

/** Base and head samples of one compared metric side by side: one dot per sample, a tick at each median. */
export function compareDistribution(title: string, unit: string, base: { label: string; values: readonly number[]; median: number }, head: { label: string; values: readonly number[]; median: number }): VegaLiteSpec {
  const values = [
    ...base.values.map((v) => ({ side: `base: ${base.label}`, value: v })),
    ...head.values.map((v) => ({ side: `head: ${head.label}`, value: v })),
  ];
  const medians = [{ side: `base: ${base.label}`, value: base.median }, { side: `head: ${head.label}`, value: head.median }];
  const y = { field: 'side', type: 'nominal', title: null, sort: null };
  return {
    width: WIDTH, height: 70,
    title,
    layer: [
      { data: { values }, mark: { type: 'point', filled: true, opacity: 0.6, size: 40 }, encoding: { x: { field: 'value', type: 'quantitative', title: unit, scale: { zero: false } }, y, color: { field: 'side', type: 'nominal', legend: null } } },
      { data: { values: medians }, mark: { type: 'tick', thickness: 2, size: 24, color: '#333' }, encoding: { x: { field: 'value', type: 'quantitative' }, y } },
    ],
  };
}

/** The spread of a repeated run: one dot per repetition per percentile (a row each), tick at the median. */
export function repetitionSpread(title: string, rows: readonly { label: string; values: readonly number[]; median: number }[]): VegaLiteSpec {
  const values = rows.flatMap((r) => r.values.map((v, i) => ({ row: r.label, value: v, repetition: `#${i + 1}` })));
  const medians = rows.map((r) => ({ row: r.label, value: r.median }));
  const y = { field: 'row', type: 'nominal', title: null, sort: null };
  return {
    width: WIDTH, height: 30 + 25 * rows.length,
    title,
    layer: [
      { data: { values }, mark: { type: 'point', filled: true, opacity: 0.7, size: 50 }, encoding: { x: { field: 'value', type: 'quantitative', title: 'ms', scale: { zero: false } }, y, color: { field: 'row', type: 'nominal', legend: null } } },
      { data: { values: medians }, mark: { type: 'tick', thickness: 2, size: 20, color: '#333' }, encoding: { x: { field: 'value', type: 'quantitative' }, y } },
    ],
  };
}

export function rateOverTime(run: RunSummary, timeline: readonly TimelineEvent[] = run.timeline): VegaLiteSpec {
  const hasOffered = run.timeSeries.some((p) => p.offeredRatePerSec !== undefined);
  const values = downsample(run.timeSeries).flatMap((p) => [
    ...(hasOffered ? [{ t: secs(p.tMs), series: 'offered req/s', v: p.offeredRatePerSec ?? 0 }] : []),
    { t: secs(p.tMs), series: 'achieved req/s', v: p.ratePerSec },
    { t: secs(p.tMs), series: 'errors/s', v: Math.round((p.errors / bucketSeconds(run)) * 100) / 100 },
  ]);
  return {
    width: WIDTH, height: HEIGHT,
    title: hasOffered ? 'Offered vs achieved rate, and errors' : 'Achieved rate and errors (no offered rate recorded)',
    layer: [
      ...faultLayer(faultWindows(timeline, run.card.durationMs)),
      {
        data: { values },
        mark: { type: 'line', strokeWidth: 1.5 },
        encoding: {
          x: { field: 't', type: 'quantitative', title: 'time since start (s)' },
          y: { field: 'v', type: 'quantitative', title: 'per second' },
          color: {
            field: 'series', type: 'nominal', title: null,
            scale: hasOffered
              ? { domain: ['offered req/s', 'achieved req/s', 'errors/s'], range: ['#9aa5b1', '#4c78a8', '#e45756'] }
              : { domain: ['achieved req/s', 'errors/s'], range: ['#4c78a8', '#e45756'] },
          },
        },
      },
    ],
    resolve: { scale: { color: 'independent' } },
  };
}

/** Seconds per time-series bucket (usually 1), from the spacing of the points. */
function bucketSeconds(run: RunSummary): number {
  const [a, b] = run.timeSeries;
  return a && b ? Math.max(0.001, (b.tMs - a.tMs) / 1000) : 1;
}

export function hasActiveSeries(run: RunSummary): boolean {
  return run.timeSeries.some((p) => p.vus !== undefined || p.sockets !== undefined);
}

export function activeOverTime(run: RunSummary): VegaLiteSpec {
  const values = downsample(run.timeSeries).flatMap((p) => [
    ...(p.vus !== undefined ? [{ t: secs(p.tMs), series: 'active VUs', v: p.vus }] : []),
    ...(p.sockets !== undefined ? [{ t: secs(p.tMs), series: 'open sockets', v: p.sockets }] : []),
  ]);
  return {
    width: WIDTH, height: 120, title: 'Active virtual users and sockets',
    data: { values },
    mark: { type: 'line', interpolate: 'step-after', strokeWidth: 1.5 },
    encoding: {
      x: { field: 't', type: 'quantitative', title: 'time since start (s)' },
      y: { field: 'v', type: 'quantitative', title: 'count' },
      color: { field: 'series', type: 'nominal', title: null },
    },
  };
}

/** "http_req_duration{name:feed}" -> "feed"; the untagged trend is "all requests". */
export function metricLabel(metric: string): string {
  if (metric === 'http_req_duration') return 'all requests';
  const m = /^http_req_duration\{name:(.*)\}$/.exec(metric);
  return m ? m[1]! : metric;
}

/** k6's sub-timings (blocked, connecting, TLS...) say little about the system; they are left out. */
const SUB_TIMING = /^(http_req_(blocked|connecting|sending|receiving|waiting|tls_handshaking)|iteration_duration|group_duration)/;
export const MAX_SPECTRUM_SERIES = 8;

/** The histograms worth a line in the spectrum: request latencies first, at most MAX_SPECTRUM_SERIES. */
export function spectrumMetrics(spectra: RunEntry['spectra']): [string, RunEntry['spectra'][string]][] {
  return Object.entries(spectra)
    .filter(([name, pts]) => !SUB_TIMING.test(name) && pts.length > 0)
    .slice(0, MAX_SPECTRUM_SERIES);
}

/** HDR percentile spectrum: x = 1/(1-p) on a log axis, labelled back as percentiles. */
export function percentileSpectrum(spectra: RunEntry['spectra']): VegaLiteSpec {
  const values = spectrumMetrics(spectra).flatMap(([name, pts]) => pts
    .filter((p) => p.percentile < 100)
    .map((p) => ({ metric: metricLabel(name), x: 1 / (1 - p.percentile / 100), ms: Math.max(p.ms, 0.001), percentile: p.percentile })));
  return {
    width: WIDTH, height: HEIGHT, title: 'Latency by percentile (HDR histogram)',
    data: { values },
    mark: { type: 'line', point: true, strokeWidth: 1.5 },
    encoding: {
      x: {
        field: 'x', type: 'quantitative', scale: { type: 'log' }, title: 'percentile',
        axis: { values: [1, 2, 10, 100, 1000, 10000, 100000], labelExpr: "format(100 - 100 / datum.value, '.3~f') + '%'" },
      },
      y: { field: 'ms', type: 'quantitative', scale: { type: 'log' }, title: 'latency (ms, log)' },
      color: { field: 'metric', type: 'nominal', title: null },
    },
  };
}

/** Each phase as a point (achieved rate, P99), joined per run; rules at the P99 target and the knee. */
export function throughputVsP99(runs: readonly RunEntry[], rows: readonly ScenarioRow[]): VegaLiteSpec {
  const points = runs.flatMap((r) => r.summary.phases.filter((p) => p.requests > 0)
    // A log axis cannot show 0: phases without a measured P99 are left out rather than faked.
    .filter((p) => p.latencyMs.p99 > 0)
    .map((p) => ({ run: r.label, phase: p.name, rate: p.ratePerSec, p99: p.latencyMs.p99 })))
    .sort((a, b) => a.rate - b.rate);
  const knees = rows.filter((r) => r.safeThroughputPerSec !== null).map((r) => ({ run: r.run, rate: r.safeThroughputPerSec }));
  const targets = [...new Set(rows.map((r) => r.p99TargetMs))].filter((ms) => ms > 0).map((ms) => ({ ms, label: `P99 target ${ms} ms` }));
  return {
    width: WIDTH, height: HEIGHT + 40, title: 'Throughput vs P99 per phase (dashed: P99 target; dotted: safe-throughput knee)',
    layer: [
      {
        data: { values: points },
        mark: { type: 'line', point: true },
        encoding: {
          x: { field: 'rate', type: 'quantitative', title: 'achieved rate (req/s)' },
          y: { field: 'p99', type: 'quantitative', scale: { type: 'log' }, title: 'P99 (ms, log)' },
          color: { field: 'run', type: 'nominal', title: null },
          order: { field: 'rate' },
        },
      },
      { data: { values: targets }, mark: { type: 'rule', strokeDash: [6, 4], color: '#e45756' }, encoding: { y: { field: 'ms', type: 'quantitative' } } },
      { data: { values: knees }, mark: { type: 'rule', strokeDash: [2, 2] }, encoding: { x: { field: 'rate', type: 'quantitative' }, color: { field: 'run', type: 'nominal' } } },
    ],
  };
}

/** ClaimResult.values keys starting with "baseline" / "optimized" become the two bars of a claim. */
export function claimBarValues(claims: readonly ClaimResult[]) {
  return claims.flatMap((c) => Object.entries(c.values ?? {})
    .map(([key, v]) => {
      const m = /^(baseline|optimized)(.*)$/i.exec(key);
      return m && Number.isFinite(v) ? { claim: `${c.id} ${m[2] ?? ''}`.trim(), variant: m[1]!.toLowerCase(), value: v } : null;
    })
    .filter((x): x is { claim: string; variant: string; value: number } => x !== null));
}

export function claimBars(values: ReturnType<typeof claimBarValues>): VegaLiteSpec {
  return {
    title: 'Baseline vs optimized, per claim (each row on its own scale)',
    data: { values },
    facet: { row: { field: 'claim', type: 'nominal', title: null, header: { labelAngle: 0, labelAlign: 'left', labelLimit: 200 } } },
    spec: {
      width: WIDTH - 200, height: 34,
      mark: { type: 'bar' },
      encoding: {
        y: { field: 'variant', type: 'nominal', title: null },
        x: { field: 'value', type: 'quantitative', title: null },
        color: { field: 'variant', type: 'nominal', title: null, scale: { domain: ['baseline', 'optimized'], range: ['#e45756', '#54a24b'] } },
      },
    },
    resolve: { scale: { x: 'independent' } },
  };
}

export function poolBudgetBars(p: PoolBudgetView): VegaLiteSpec {
  const over = p.limit !== null && p.total > p.limit;
  const values = [...p.rows.map((r) => ({ name: r.service, total: r.total, kind: 'service' })), { name: 'TOTAL', total: p.total, kind: over ? 'over budget' : 'total' }];
  return {
    width: WIDTH - 140, height: { step: 18 },
    title: p.limit === null ? 'Pool budget: connections per service (no known limit)' : `Pool budget: connections per service vs ${p.limitName} (${p.limit})`,
    layer: [
      {
        data: { values },
        mark: { type: 'bar' },
        encoding: {
          y: { field: 'name', type: 'nominal', sort: null, title: null },
          x: { field: 'total', type: 'quantitative', title: 'connections' },
          color: { field: 'kind', type: 'nominal', title: null, scale: { domain: ['service', 'total', 'over budget'], range: ['#4c78a8', '#54a24b', '#e45756'] } },
        },
      },
      ...(p.limit === null ? [] : [{ data: { values: [{ limit: p.limit }] }, mark: { type: 'rule', color: '#e45756', strokeDash: [6, 4], size: 2 }, encoding: { x: { field: 'limit', type: 'quantitative' } } }]),
    ],
  };
}

/** Verdict colours shared by the claims chart (the table's tones). */
const VERDICT_COLOURS: [string, string][] = [['CONFIRMED', '#54a24b'], ['PARTLY', '#eeca3b'], ['REFUTED', '#e45756'], ['NOT MEASURABLE HERE', '#bab0ac'], ['NOT RUN', '#79706e']];

/** Claims whose headline target has numbers: one row each, claimed and measured in the claim's unit. */
export function claimHeadlineValues(claims: readonly ClaimResult[]) {
  return claims.flatMap((c, order) => {
    const h = c.headline;
    if (!h || !Number.isFinite(h.claimed) || !Number.isFinite(h.measured)) return [];
    const metric = h.metric.length > 48 ? `${h.metric.slice(0, 47)}…` : h.metric;
    return [{ id: c.id, label: `${c.id}: ${metric} (${h.unit})`, order, claimed: h.claimed, measured: h.measured, unit: h.unit, better: `${h.better} is better`, verdict: c.verdict }];
  });
}

/**
 * The claims at a glance (issue 13 item 8): every claim's verdict as a coloured square, then for
 * each claim with a numeric headline the claimed value (black diamond) and the measured value
 * (dot, coloured by verdict) on a symlog axis, so 0.3 ms and 10,000 sockets share one chart.
 * Claims without a numeric headline are listed beside the chart by the claims section.
 */
export function claimVerdicts(claims: readonly ClaimResult[]): VegaLiteSpec {
  const values = claims.map((c, i) => ({ id: c.id, doc: c.id.split('-')[0], order: i, verdict: c.verdict, measured: c.measured.slice(0, 160) }));
  const colour = { field: 'verdict', type: 'nominal', title: null, scale: { domain: VERDICT_COLOURS.map((v) => v[0]), range: VERDICT_COLOURS.map((v) => v[1]) } };
  const overview = {
    title: `Every claim and its verdict (${claims.length} claims)`,
    width: WIDTH - 60,
    height: { step: 22 },
    data: { values },
    mark: { type: 'square', size: 260 },
    encoding: {
      y: { field: 'doc', type: 'nominal', title: null, sort: ['NF', 'NV', 'LC', 'MO', 'CP', 'BEYOND'] },
      x: { field: 'id', type: 'nominal', title: null, sort: { field: 'order' }, axis: { labelAngle: -60 } },
      color: colour,
      tooltip: [{ field: 'id' }, { field: 'verdict' }, { field: 'measured' }],
    },
  };
  const rows = claimHeadlineValues(claims);
  if (rows.length === 0) return overview;
  const y = { field: 'label', type: 'nominal', title: null, sort: { field: 'order' }, axis: { labelLimit: 320 } };
  const x = { type: 'quantitative', scale: { type: 'symlog' }, title: 'value in the claim\'s unit (symlog scale)' };
  const tooltip = [{ field: 'id' }, { field: 'claimed' }, { field: 'measured' }, { field: 'unit' }, { field: 'better' }, { field: 'verdict' }];
  return {
    vconcat: [
      overview,
      {
        title: `Claimed (diamond) vs measured (dot), ${rows.length} claims with a numeric headline`,
        width: WIDTH - 340,
        height: { step: 18 },
        data: { values: rows },
        layer: [
          { mark: { type: 'rule', color: '#98a2b3' }, encoding: { y, x: { field: 'claimed', ...x }, x2: { field: 'measured' } } },
          { mark: { type: 'point', shape: 'diamond', filled: false, color: '#101828', size: 70 }, encoding: { y, x: { field: 'claimed', ...x }, tooltip } },
          { mark: { type: 'circle', size: 80, opacity: 1 }, encoding: { y, x: { field: 'measured', ...x }, color: colour, tooltip } },
        ],
      },
    ],
  };
}
