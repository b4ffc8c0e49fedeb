/**
 * Judges windowed thresholds on the run's per-second series: `p(99)<500 over 30s` holds only if
 * every 30 s window (sliding by one second) holds; `rate<0.001 burn 14.4x over 1m` fails if any
 * minute's rate is 14.4 times the budget or more. Windows are merged from per-second histograms and
 * counts, so a window's P99 is exact. A run shorter than the window is judged as one (partial)
 * window. Seconds without samples are not windows of their own; a window with no samples at all
 * is skipped (and said), and a run with no judged window fails, as k6 fails a metric with no samples.
 */
import { createHistogram, decode, merge, percentileMs, trendValues, type LatencyHistogram, type ThresholdResult } from '../core/index.ts';
import { holds, type ParsedExpression } from './threshold-expression.ts';
import type { WindowPoint, WindowSeries } from './window-series.ts';

export interface WindowVerdict {
  startMs: number;
  endMs: number;
  /** The window's value: the aggregation, or the burn factor for a burn rule. */
  actual: number;
}

export interface WindowedThresholdResult extends ThresholdResult {
  window?: {
    lengthMs: number;
    checked: number;
    failed: number;
    /** Windows without a single sample (not judged). */
    empty: number;
    /** The first window that failed, if any. */
    firstFailed?: WindowVerdict;
    /** The window furthest on the wrong side of the limit. */
    worst?: WindowVerdict;
    /** The run was shorter than the window: judged as one window. */
    partial?: boolean;
    burnFactor?: number;
  };
}

export function evaluateWindowed(metric: string, key: string, e: ParsedExpression, series: WindowSeries | undefined, durationMs?: number): WindowedThresholdResult {
  const lengthMs = e.window!.ms;
  const s = series?.[key];
  const points = s?.points ?? [];
  const head = { metric, expression: e.source };
  if (!s || points.length === 0) return { ...head, ok: false, window: { lengthMs, checked: 0, failed: 0, empty: 0 } };
  const bySec = new Map<number, WindowPoint>(points.map((p) => [Math.round(p.tMs / 1000), p]));
  const lastSec = Math.max(Math.ceil((durationMs ?? 0) / 1000) - 1, ...bySec.keys());
  const w = lengthMs / 1000;
  const partial = lastSec + 1 < w;
  const starts = partial ? [0] : Array.from({ length: lastSec + 2 - w }, (_, i) => i);
  const span = partial ? lastSec + 1 : w;
  const decoded = new Map<number, LatencyHistogram>();
  const histAt = (sec: number) => {
    const p = bySec.get(sec);
    if (!p?.hist) return undefined;
    let h = decoded.get(sec);
    if (!h) decoded.set(sec, (h = decode(p.hist)));
    return h;
  };

  const valueOf = (start: number): number | undefined => {
    if (s.type === 'trend') {
      const h = createHistogram();
      for (let sec = start; sec < start + span; sec++) {
        const x = histAt(sec);
        if (x) merge(h, x);
      }
      if (h.totalCount === 0) return undefined;
      if (e.percentile !== undefined) return percentileMs(h, e.percentile);
      const v = trendValues(h);
      return { avg: v.mean, min: v.min, max: v.max, med: v.p50 }[e.aggregation];
    }
    let passes = 0;
    let fails = 0;
    let count = 0;
    let seen = false;
    for (let sec = start; sec < start + span; sec++) {
      const p = bySec.get(sec);
      if (!p) continue;
      seen = true;
      passes += p.passes ?? 0;
      fails += p.fails ?? 0;
      count += p.count ?? 0;
    }
    if (!seen) return undefined;
    if (s.type === 'rate') return passes + fails === 0 ? undefined : passes / (passes + fails);
    return e.aggregation === 'count' ? count : count / span;
  };

  let checked = 0;
  let failed = 0;
  let empty = 0;
  let firstFailed: WindowVerdict | undefined;
  let worst: WindowVerdict | undefined;
  // Which way is worse: above the limit for < and <=, below it for > and >=.
  const badness = (v: number) => (e.operator === '>' || e.operator === '>=' ? -v : v);
  for (const start of starts) {
    const raw = valueOf(start);
    if (raw === undefined) {
      empty++;
      continue;
    }
    const actual = e.burnFactor === undefined ? raw : e.value === 0 ? (raw === 0 ? 0 : Number.POSITIVE_INFINITY) : raw / e.value;
    const ok = e.burnFactor === undefined ? holds(e, actual) : e.operator === '<' ? actual < e.burnFactor : actual <= e.burnFactor;
    const verdict: WindowVerdict = { startMs: start * 1000, endMs: (start + span) * 1000, actual: round(actual) };
    checked++;
    if (!ok) {
      failed++;
      firstFailed ??= verdict;
    }
    if (!worst || badness(actual) > badness(worst.actual)) worst = verdict;
  }
  const window = {
    lengthMs, checked, failed, empty,
    ...(firstFailed ? { firstFailed } : {}),
    ...(worst ? { worst } : {}),
    ...(partial ? { partial } : {}),
    ...(e.burnFactor !== undefined ? { burnFactor: e.burnFactor } : {}),
  };
  return { ...head, ok: checked > 0 && failed === 0, ...(worst ? { actual: worst.actual } : {}), window };
}

/** "failed in 2 of 31 windows of 30s; first 40s-70s (812 ms)", for notes and the report. */
export function describeWindows(r: WindowedThresholdResult): string {
  const w = r.window;
  if (!w) return '';
  const len = `${w.lengthMs / 1000}s`;
  const at = (v: WindowVerdict) => `${v.startMs / 1000}s-${v.endMs / 1000}s (${w.burnFactor !== undefined ? `burn ${v.actual}x` : v.actual})`;
  if (w.checked === 0) return `no ${len} window had samples`;
  const scope = w.partial ? `the run (shorter than ${len}) as one window` : `${w.checked} windows of ${len}`;
  const skipped = w.empty ? `, ${w.empty} without samples` : '';
  if (w.failed === 0) return `held in all ${scope}${skipped}; worst ${at(w.worst!)}`;
  return `failed in ${w.failed} of ${scope}${skipped}; first ${at(w.firstFailed!)}, worst ${at(w.worst!)}`;
}

const round = (n: number) => (Number.isFinite(n) ? Math.round(n * 1000) / 1000 : n);
