/**
 * Mann-Whitney U (Wilcoxon rank-sum) test, two-sided, as Go's benchstat uses it to compare two sets
 * of benchmark runs: ranks with ties averaged (@stdlib/stats-ranks), the EXACT null distribution of U
 * for small samples, ties included (the permutation distribution of the rank sum given the observed
 * mid-ranks, counted by dynamic programming), and the normal approximation with tie and continuity
 * correction (normal CDF from @stdlib) only above EXACT_MAX_N pooled observations.
 *
 * No kept npm package does the exact tied distribution: @stdlib has the signed-rank test only, and
 * mann-whitney-utest compares U against a z score (wrong), so the distribution is counted here and
 * checked against brute-force enumeration in the tests.
 *
 * Also the Hodges-Lehmann estimate of the shift (the median of all head-minus-base differences) and
 * its distribution-free confidence interval (Moses: order statistics of those differences, with
 * ranks taken from U's exact no-ties null distribution).
 */
import ranks from '@stdlib/stats-ranks';
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';

/** Up to this many pooled observations the exact distribution is counted (O(N * n1 * N^2) work). */
export const EXACT_MAX_N = 60;

export interface MannWhitneyResult {
  n1: number;
  n2: number;
  /** U of the second sample (head): pairs (x, y) with y > x, ties counting one half. */
  u: number;
  /** Two-sided p-value. */
  pValue: number;
  method: 'exact' | 'normal';
  ties: boolean;
  /** U / (n1 n2): the probability that a head value exceeds a base value (ties half); 0.5 = no effect. */
  probabilityHeadGreater: number;
}

/** Two-sided Mann-Whitney U test of x (base) against y (head). Empty samples give p = 1. */
export function mannWhitneyU(x: readonly number[], y: readonly number[]): MannWhitneyResult {
  const n1 = x.length;
  const n2 = y.length;
  if (n1 === 0 || n2 === 0) return { n1, n2, u: 0, pValue: 1, method: 'exact', ties: false, probabilityHeadGreater: 0.5 };
  const pooled = [...x, ...y];
  const r = ranks(pooled) as number[];
  let rankSumY = 0;
  for (let i = n1; i < pooled.length; i++) rankSumY += r[i]!;
  const u = rankSumY - (n2 * (n2 + 1)) / 2;
  const ties = new Set(pooled).size < pooled.length;
  const N = n1 + n2;
  const base = { n1, n2, u, ties, probabilityHeadGreater: u / (n1 * n2) };
  if (N <= EXACT_MAX_N) return { ...base, method: 'exact', pValue: exactTwoSided(r.slice(n1), r) };
  return { ...base, method: 'normal', pValue: normalTwoSided(u, n1, n2, pooled) };
}

/**
 * The exact two-sided p-value: under the null every choice of n2 of the N mid-ranks for the head
 * sample is equally likely. Counts the choices by their (doubled, so integral) rank sum and sums
 * the tail at least as extreme as the observed one, doubled and capped at 1.
 */
function exactTwoSided(headRanks: readonly number[], allRanks: readonly number[]): number {
  const twice = allRanks.map((v) => Math.round(v * 2));
  const observed = headRanks.reduce((s, v) => s + Math.round(v * 2), 0);
  const counts = rankSumCounts(twice, headRanks.length);
  let total = 0;
  let lower = 0;
  let upper = 0;
  for (let s = 0; s < counts.length; s++) {
    const c = counts[s]!;
    if (c === 0) continue;
    total += c;
    if (s <= observed) lower += c;
    if (s >= observed) upper += c;
  }
  return Math.min(1, (2 * Math.min(lower, upper)) / total);
}

/** counts[s] = number of k-subsets of `values` summing to s (values are small non-negative integers). */
function rankSumCounts(values: readonly number[], k: number): Float64Array {
  const maxSum = values.reduce((a, b) => a + b, 0);
  // dp[j][s]: j chosen so far with sum s; one flat array, j-major.
  const width = maxSum + 1;
  const dp = new Float64Array((k + 1) * width);
  dp[0] = 1;
  let reach = 0; // largest sum reachable so far
  for (const v of values) {
    reach += v;
    for (let j = k; j >= 1; j--) {
      const row = j * width;
      const prev = (j - 1) * width;
      for (let s = Math.min(reach, maxSum); s >= v; s--) dp[row + s] = dp[row + s]! + dp[prev + s - v]!;
    }
  }
  return dp.subarray(k * width, (k + 1) * width);
}

/** Normal approximation with the tie correction of the variance and a continuity correction of 0.5. */
function normalTwoSided(u: number, n1: number, n2: number, pooled: readonly number[]): number {
  const N = n1 + n2;
  const groups = new Map<number, number>();
  for (const v of pooled) groups.set(v, (groups.get(v) ?? 0) + 1);
  let tieTerm = 0;
  for (const t of groups.values()) tieTerm += t * t * t - t;
  const variance = ((n1 * n2) / 12) * (N + 1 - tieTerm / (N * (N - 1)));
  if (variance <= 0) return 1; // every value tied: nothing to tell apart
  const z = Math.max(0, Math.abs(u - (n1 * n2) / 2) - 0.5) / Math.sqrt(variance);
  return Math.min(1, 2 * (1 - normalCdf(z, 0, 1)));
}

export interface ShiftEstimate {
  /** Hodges-Lehmann estimate: the median of all pairwise differences head - base. */
  estimate: number;
  /** Bounds of the confidence interval; null when the samples are too small to bound it. */
  low: number | null;
  high: number | null;
  /** The confidence the interval actually has (the distribution is discrete), e.g. 0.968. */
  confidence: number;
}

/**
 * Hodges-Lehmann shift and its Moses confidence interval at level 1 - alpha. With n1 = n2 = 5 and
 * alpha 0.05 the interval runs from the 3rd to the 23rd of the 25 ordered differences (96.8%).
 */
export function shiftEstimate(x: readonly number[], y: readonly number[], alpha = 0.05): ShiftEstimate {
  const d: number[] = [];
  for (const a of x) for (const b of y) d.push(b - a);
  d.sort((p, q) => p - q);
  const m = d.length;
  if (m === 0) return { estimate: 0, low: null, high: null, confidence: 0 };
  const estimate = m % 2 === 1 ? d[(m - 1) / 2]! : (d[m / 2 - 1]! + d[m / 2]!) / 2;
  const { k, tail } = lowerCriticalCount(x.length, y.length, alpha / 2);
  if (k < 1) return { estimate, low: null, high: null, confidence: 0 };
  return { estimate, low: d[k - 1]!, high: d[m - k]!, confidence: 1 - 2 * tail };
}

/**
 * The largest k with P(U <= k - 1) <= tailAlpha under the no-ties null (k = 0: none), and that
 * probability. Exact up to EXACT_MAX_N, normal approximation beyond.
 */
export function lowerCriticalCount(n1: number, n2: number, tailAlpha: number): { k: number; tail: number } {
  const N = n1 + n2;
  if (N <= EXACT_MAX_N) {
    const counts = rankSumCounts(Array.from({ length: N }, (_, i) => i + 1), n2);
    const min = (n2 * (n2 + 1)) / 2; // rank sum of U = 0
    let total = 0;
    for (const c of counts) total += c;
    let cum = 0;
    let k = 0;
    let tail = 0;
    for (let uValue = 0; uValue <= n1 * n2; uValue++) {
      cum += counts[min + uValue]!;
      if (cum / total > tailAlpha) break;
      k = uValue + 1;
      tail = cum / total;
    }
    return { k, tail };
  }
  const mean = (n1 * n2) / 2;
  const sd = Math.sqrt((n1 * n2 * (N + 1)) / 12);
  // Largest k with Phi((k - 1 + 0.5 - mean) / sd) <= tailAlpha.
  let k = Math.floor(mean + 0.5 + sd * normalQuantile(tailAlpha));
  while (k > 0 && normalCdf((k - 1 + 0.5 - mean) / sd, 0, 1) > tailAlpha) k--;
  return { k: Math.max(0, k), tail: k > 0 ? normalCdf((k - 1 + 0.5 - mean) / sd, 0, 1) : 0 };
}

/** Standard normal quantile by bisection on the CDF (only used for large samples). */
function normalQuantile(p: number): number {
  let lo = -10;
  let hi = 10;
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2;
    if (normalCdf(mid, 0, 1) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}
