/** The noise-aware comparison: per metric, both sides' samples, the rank test and the change. */
import type { MannWhitneyResult } from './mann-whitney.ts';

export const COMPARE_METRICS = ['p99', 'p50', 'errorRate', 'throughput'] as const;
export type CompareMetric = (typeof COMPARE_METRICS)[number];

/** What one sample is: one repetition (benchstat's unit), or one window of any repetition. */
export type SampleUnit = 'run' | 'window';

export interface SideSamples {
  label: string;
  /** Repetitions on this side. */
  runs: number;
  /** Windows judged on this side, all repetitions together. */
  windows: number;
  values: number[];
  median: number;
}

export interface MetricComparison {
  metric: CompareMetric;
  /** "ms", "%" (error rate, in percent) or "req/s". */
  unit: string;
  base: SideSamples;
  head: SideSamples;
  test: MannWhitneyResult;
  /**
   * The change head vs base: the Hodges-Lehmann estimate and its confidence interval, in percent
   * of base for latencies and throughput, in percentage points for the error rate.
   */
  change: { estimate: number; low: number | null; high: number | null; confidence: number; unit: '%' | 'pp' };
  gated: boolean;
  /** Significant at alpha (p < alpha). */
  significant: boolean;
  /** Significant, worse, and worse by more than the tolerance (and the ms noise floor). */
  regression: boolean;
  /** "REGRESSION", "improved", "worse (within tolerance)", "~" (not significant). */
  verdict: string;
}

export interface RankComparison {
  unit: SampleUnit;
  windowS: number;
  alpha: number;
  tolerancePct: number;
  minDeltaMs: number;
  errorTolerancePct: number;
  baseRuns: number;
  headRuns: number;
  /** False with one run on a side: then nothing is significant, by design. */
  enoughRuns: boolean;
  metrics: MetricComparison[];
  regression: boolean;
  verdict: string;
  /** Where the samples came from (per-second histograms, or the 1 s time series of older runs). */
  notes: string[];
}
