/**
 * Compare mode: base and head side by side, and a regression verdict for CI.
 *
 * The gate by default ("rank") is the noise-aware comparison of reports/compare/: each side may be
 * a repeated run (`brink run --repeat N`), and a gated metric regresses only when a Mann-Whitney U
 * test says the change is significant AND it is worse than the tolerance. One run per side is
 * never significant.
 *
 * The fixed-tolerance view of one run against one run (compareRuns, gate "fixed", what brink did
 * before) is kept: deltas per endpoint and percentile; a percentile regresses when head is worse
 * than base by more than tolerancePct AND by more than minDeltaMs (so 0.8 -> 1.0 ms on a 2-core box
 * is not a regression); the error rate when it rises by more than errorTolerancePct points.
 */
import type { RunSummary, TrendValues } from '../core/index.ts';
import type { Comparison, EndpointDelta } from './types.ts';
import { fmtPct } from './derive/format.ts';
import { DEFAULT_RANK, rankCompare } from './compare/rank-compare.ts';
import { readSide, type CompareSide } from './compare/side.ts';
import type { CompareMetric, SampleUnit } from './compare/types.ts';

export interface CompareOptions {
  tolerancePct: number;
  minDeltaMs: number;
  errorTolerancePct: number;
  /** Which percentiles can regress; all three are shown. */
  gatedPercentiles: readonly ('p50' | 'p95' | 'p99')[];
  /** Whether the error rate can regress (default yes). */
  gateErrorRate?: boolean;
  /** Whether a throughput drop beyond tolerancePct is a regression (default no). */
  gateThroughput?: boolean;
}

export const DEFAULT_COMPARE: CompareOptions = { tolerancePct: 10, minDeltaMs: 1, errorTolerancePct: 1, gatedPercentiles: ['p99'] };

export interface SidesOptions extends CompareOptions {
  gate: 'rank' | 'fixed';
  /** Significance level of the rank test. */
  alpha: number;
  unit: SampleUnit;
  windowS: number;
  gated: readonly CompareMetric[];
}

export const DEFAULT_SIDES: SidesOptions = { ...DEFAULT_COMPARE, gate: 'rank', alpha: DEFAULT_RANK.alpha, unit: DEFAULT_RANK.unit, windowS: DEFAULT_RANK.windowS, gated: DEFAULT_RANK.gated };

/**
 * Compares two run directories, each a single run or a repeated one. The fixed-tolerance deltas
 * are of the first repetition of each side; the rank comparison uses every repetition.
 */
export function compareDirs(baseDir: string, headDir: string, o: SidesOptions = DEFAULT_SIDES): { comparison: Comparison; base: CompareSide; head: CompareSide } {
  const base = readSide(baseDir, 'base', o.windowS);
  const head = readSide(headDir, 'head', o.windowS);
  // The fixed gate judges the same metrics the rank gate does (--metrics).
  const fixed = compareRuns(
    { label: base.repetitions[0]!.entry.label, summary: base.repetitions[0]!.entry.summary },
    { label: head.repetitions[0]!.entry.label, summary: head.repetitions[0]!.entry.summary },
    {
      ...o,
      gatedPercentiles: o.gated.filter((m): m is 'p50' | 'p99' => m === 'p50' || m === 'p99'),
      gateErrorRate: o.gated.includes('errorRate'),
      gateThroughput: o.gated.includes('throughput'),
    },
  );
  const stats = rankCompare(base, head, o);
  const comparison: Comparison = o.gate === 'fixed'
    ? { ...fixed, base: base.label, head: head.label, gate: 'fixed', stats }
    : { ...fixed, base: base.label, head: head.label, gate: 'rank', stats, regression: stats.regression, verdict: stats.verdict };
  return { comparison, base, head };
}

const PERCENTILES = ['p50', 'p95', 'p99'] as const;

function deltas(endpoint: string, a: TrendValues, b: TrendValues, o: CompareOptions): EndpointDelta[] {
  return PERCENTILES.map((p) => {
    const baseMs = a[p];
    const headMs = b[p];
    const deltaPct = baseMs === 0 ? (headMs === 0 ? 0 : 100) : ((headMs - baseMs) / baseMs) * 100;
    const regression = o.gatedPercentiles.includes(p) && deltaPct > o.tolerancePct && headMs - baseMs > o.minDeltaMs;
    return { endpoint, percentile: p, baseMs, headMs, deltaPct: Math.round(deltaPct * 10) / 10, regression };
  });
}

export function compareRuns(base: { label: string; summary: RunSummary }, head: { label: string; summary: RunSummary }, o: CompareOptions = DEFAULT_COMPARE): Comparison {
  const all: EndpointDelta[] = deltas('(all requests)', base.summary.totals.latencyMs, head.summary.totals.latencyMs, o);
  for (const e of base.summary.endpoints) {
    const h = head.summary.endpoints.find((x) => x.name === e.name);
    if (h) all.push(...deltas(e.name, e.latencyMs, h.latencyMs, o));
  }
  const errBase = base.summary.totals.errorRate;
  const errHead = head.summary.totals.errorRate;
  const errRegression = (o.gateErrorRate ?? true) && (errHead - errBase) * 100 > o.errorTolerancePct;
  const tb = base.summary.totals.ratePerSec;
  const th = head.summary.totals.ratePerSec;
  const throughputDeltaPct = tb === 0 ? 0 : Math.round(((th - tb) / tb) * 1000) / 10;
  const tputRegression = (o.gateThroughput ?? false) && -throughputDeltaPct > o.tolerancePct;
  const regressed = all.filter((d) => d.regression);
  const regression = regressed.length > 0 || errRegression || tputRegression;
  const why = [
    ...regressed.map((d) => `${d.endpoint} ${d.percentile} +${d.deltaPct}%`),
    ...(errRegression ? [`error rate ${fmtPct(errBase)} -> ${fmtPct(errHead)}`] : []),
    ...(tputRegression ? [`throughput ${throughputDeltaPct}%`] : []),
  ];
  return {
    base: base.label, head: head.label, tolerancePct: o.tolerancePct, minDeltaMs: o.minDeltaMs, deltas: all,
    errorRate: { base: errBase, head: errHead, regression: errRegression },
    throughput: { basePerSec: tb, headPerSec: th, deltaPct: throughputDeltaPct },
    regression,
    verdict: regression
      ? `REGRESSION: ${why.join('; ')} (tolerance ${o.tolerancePct}% and ${o.minDeltaMs} ms)`
      : `NO REGRESSION: gated percentiles within ${o.tolerancePct}% (or ${o.minDeltaMs} ms) and error rate within ${o.errorTolerancePct} pp`,
  };
}
