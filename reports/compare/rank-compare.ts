/**
 * The comparison that knows noise. For P99, P50, error rate and throughput it collects one sample
 * per window of every repetition (unit "window", the default) or one per repetition (unit "run",
 * benchstat's unit: the median of its per-window values; the error rate and throughput over all
 * its windows); runs the Mann-Whitney U test; estimates the change with Hodges-Lehmann and its confidence interval; and calls a gated
 * metric a REGRESSION only when the change is significant (p < alpha) AND worse than the
 * tolerance (and, for latency, than the ms noise floor). Like benchstat, "~" marks a change that is
 * not significant. One run per side is never significant: the verdict says so instead of guessing
 * (windows of one run share that run's luck; they are not repetitions).
 *
 * Why windows by default: in two runs of bench/compare.bench.ts on a 2-core machine under heavy
 * load (load average 3-15), 5 runs a side, per window vs per run: false alarms 0 and 1 of 10 vs
 * 0 and 0; detections of a slowed head 6 and 8 of 10 vs 2 and 7 (today's fixed tolerance: 9 and 8
 * false alarms). Windows of one run are not independent, so the per-window p-value is optimistic
 * when base and head ran at different times on a drifting machine; "--unit run" (benchstat's
 * choice) is the conservative one then, and the tolerance guards both.
 * With the toxic on a hop every request crosses (a proxy in front of the gateway, 28 ms = 20% of
 * the base's median per-window P99 at calibration), load average 10-32: false alarms 0 (run) and 0
 * (window) of 10, detections 1 and 3 of 10 (fixed: 8 false alarms, 9 detections): the per-window
 * P99 of 6 s runs moved 33 ms - 2.1 s between repetitions of one side, which buries +28 ms.
 * On a quiet machine (load average 0.1-0.6; 12 s runs, 2 s windows, toxic 2 ms, 10 trials):
 * false alarms 0 (run) and 0 (window) of 10, detections 6 and 9 of 10 (fixed: 8 false alarms);
 * the per-trial slowdowns were 1.12-1.53x and the window unit caught every trial from 1.23x up,
 * missing the 1.12x one (p=0.058). A 1 ms toxic (1.04-1.05x, under the 10% tolerance) was flagged
 * in 0 of 3 trials, as the tolerance means, and by the fixed gate in 3 of 3.
 */
import { mannWhitneyU, shiftEstimate } from './mann-whitney.ts';
import type { CompareSide, Repetition, WindowValue } from './side.ts';
import type { CompareMetric, MetricComparison, RankComparison, SampleUnit, SideSamples } from './types.ts';

export interface RankOptions {
  alpha: number;
  tolerancePct: number;
  minDeltaMs: number;
  errorTolerancePct: number;
  unit: SampleUnit;
  windowS: number;
  gated: readonly CompareMetric[];
}

export const DEFAULT_RANK: RankOptions = { alpha: 0.05, tolerancePct: 10, minDeltaMs: 1, errorTolerancePct: 1, unit: 'window', windowS: 5, gated: ['p99', 'errorRate'] };

const LABEL: Record<CompareMetric, string> = { p99: 'p99', p50: 'p50', errorRate: 'error rate', throughput: 'throughput' };
const UNIT: Record<CompareMetric, string> = { p99: 'ms', p50: 'ms', errorRate: '%', throughput: 'req/s' };

const median = (xs: readonly number[]) => {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const sum = (ws: readonly WindowValue[], f: (w: WindowValue) => number) => ws.reduce((a, w) => a + f(w), 0);

/** One repetition's value of a metric (unit "run"). */
function perRun(r: Repetition, metric: CompareMetric): number | undefined {
  const ws = r.windows;
  if (ws.length === 0) return undefined;
  switch (metric) {
    case 'p99': return median(ws.map((w) => w.p99Ms));
    case 'p50': return median(ws.map((w) => w.p50Ms));
    case 'errorRate': return (100 * sum(ws, (w) => w.errors)) / Math.max(1, sum(ws, (w) => w.requests));
    case 'throughput': return sum(ws, (w) => w.requests) / Math.max(1, sum(ws, (w) => w.seconds));
  }
}

function perWindow(w: WindowValue, metric: CompareMetric): number {
  switch (metric) {
    case 'p99': return w.p99Ms;
    case 'p50': return w.p50Ms;
    case 'errorRate': return (100 * w.errors) / Math.max(1, w.requests);
    case 'throughput': return w.requests / w.seconds;
  }
}

function samples(side: CompareSide, metric: CompareMetric, unit: SampleUnit): SideSamples {
  const values = unit === 'run'
    ? side.repetitions.map((r) => perRun(r, metric)).filter((v): v is number => v !== undefined)
    : side.repetitions.flatMap((r) => r.windows.map((w) => perWindow(w, metric)));
  return {
    label: side.label, runs: side.repetitions.length, windows: side.repetitions.reduce((a, r) => a + r.windows.length, 0),
    values: values.map(round), median: round(median(values)),
  };
}

export function formatP(p: number): string {
  return p < 0.001 ? 'p<0.001' : `p=${p.toFixed(3)}`;
}

function compareMetric(base: CompareSide, head: CompareSide, metric: CompareMetric, o: RankOptions, enoughRuns: boolean): MetricComparison {
  const b = samples(base, metric, o.unit);
  const h = samples(head, metric, o.unit);
  const test = mannWhitneyU(b.values, h.values);
  // Latency and throughput change in percent (on logs: a ratio), the error rate in points.
  const ratio = metric !== 'errorRate';
  const tx = (v: number) => (ratio ? Math.log(Math.max(v, 1e-9)) : v);
  const s = shiftEstimate(b.values.map(tx), h.values.map(tx), o.alpha);
  const back = (d: number | null) => (d === null ? null : round(ratio ? (Math.exp(d) - 1) * 100 : d));
  // With one run on a side there is no interval to give: windows of one run are not repetitions.
  const change = {
    estimate: back(s.estimate)!, low: enoughRuns ? back(s.low) : null, high: enoughRuns ? back(s.high) : null,
    confidence: enoughRuns ? round(s.confidence) : 0, unit: ratio ? ('%' as const) : ('pp' as const),
  };
  const worseSign = metric === 'throughput' ? -1 : 1;
  const worseBy = worseSign * change.estimate;
  const significant = enoughRuns && test.pValue < o.alpha;
  const gated = o.gated.includes(metric);
  const beyondTolerance = metric === 'errorRate'
    ? worseBy > o.errorTolerancePct
    : worseBy > o.tolerancePct && (metric === 'throughput' || h.median - b.median > o.minDeltaMs);
  const regression = gated && significant && beyondTolerance;
  const verdict = !significant ? '~' : regression ? 'REGRESSION' : worseBy > 0 ? (gated ? 'worse, within tolerance' : 'worse (not gated)') : worseBy < 0 ? 'improved' : '~';
  return { metric, unit: UNIT[metric], base: b, head: h, test, change, gated, significant, regression, verdict };
}

/** "+23.4% [+12.0% .. +35.1%]" or "+0.80 pp [..]". */
export function formatChange(m: MetricComparison): string {
  const f = (v: number) => `${v >= 0 ? '+' : ''}${m.change.unit === '%' ? `${v.toFixed(1)}%` : `${v.toFixed(2)} pp`}`;
  const ci = m.change.low === null || m.change.high === null ? 'CI needs more runs' : `${Math.round(m.change.confidence * 100)}% CI ${f(m.change.low)} .. ${f(m.change.high)}`;
  return `${f(m.change.estimate)} [${ci}]`;
}

export function rankCompare(base: CompareSide, head: CompareSide, o: RankOptions = DEFAULT_RANK): RankComparison {
  const baseRuns = base.repetitions.length;
  const headRuns = head.repetitions.length;
  const enoughRuns = baseRuns >= 2 && headRuns >= 2;
  const metrics = (['p99', 'p50', 'errorRate', 'throughput'] as const).map((m) => compareMetric(base, head, m, o, enoughRuns));
  const notes: string[] = [];
  const fromSeries = [...base.repetitions, ...head.repetitions].filter((r) => r.source === 'time series').length;
  notes.push(fromSeries
    ? `${fromSeries} run(s) have no ${'windows.json'} (written before per-second histograms were kept): their windows are their 1 s time-series points`
    : `windows of ${o.windowS}s merged from each run's per-second histograms`);
  notes.push(o.unit === 'run'
    ? 'one sample per run: the median of its per-window values (error rate and throughput over all its windows)'
    : 'one sample per window of every run (windows of one run are not independent: this unit is more sensitive, and more easily fooled by drift between runs)');
  if (enoughRuns && o.unit === 'run') {
    const minP = 2 / binomial(baseRuns + headRuns, baseRuns);
    if (minP >= o.alpha) notes.push(`with ${baseRuns} vs ${headRuns} runs the smallest p a rank test can give is ${minP.toFixed(3)}, not below alpha ${o.alpha}: use more repeats (5 per side reach p=0.008)`);
  }
  const regressed = metrics.filter((m) => m.regression);
  const gatedMetrics = metrics.filter((m) => m.gated);
  const runs = `${baseRuns} vs ${headRuns} run${headRuns === 1 ? '' : 's'}`;
  const how = `Mann-Whitney U, ${runs}, one sample per ${o.unit === 'run' ? 'run' : `${o.windowS}s window`}, alpha ${o.alpha}, tolerance ${o.tolerancePct}%`;
  let verdict: string;
  if (!enoughRuns) {
    verdict = `NOT SIGNIFICANT: ${runs}; one run per side cannot tell a change from noise. Repeat each side (brink run ... --repeat 5) and compare again`;
  } else if (regressed.length) {
    verdict = `REGRESSION: ${regressed.map((m) => `${LABEL[m.metric]} ${formatChange(m)}, ${formatP(m.test.pValue)}`).join('; ')} (${how})`;
  } else {
    verdict = `NO REGRESSION: ${gatedMetrics.map((m) => `${LABEL[m.metric]} ${m.verdict === '~' ? '~' : m.verdict} ${formatChange(m)}, ${formatP(m.test.pValue)}`).join('; ')} (${how})`;
  }
  return {
    unit: o.unit, windowS: o.windowS, alpha: o.alpha, tolerancePct: o.tolerancePct, minDeltaMs: o.minDeltaMs, errorTolerancePct: o.errorTolerancePct,
    baseRuns, headRuns, enoughRuns, metrics, regression: regressed.length > 0, verdict, notes,
  };
}

function binomial(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return r;
}

const round = (n: number) => Math.round(n * 1000) / 1000;
