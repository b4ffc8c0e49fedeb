/**
 * "Current vs with optimizations" (NewFeed's capacity table, NF-10), measured: the same scenario
 * run on baseline and on optimized, side by side, with the ratio. Lower is better for latency and
 * errors, higher for throughput.
 */
import type { RunSummary } from '../../core/index.ts';
import { safeThroughput } from './throughput.ts';

export interface CapacityRow {
  metric: string;
  baseline: number;
  optimized: number;
  /** optimized / baseline for "higher is better", baseline / optimized for "lower is better": > 1 is an improvement. */
  improvement: number;
  unit: string;
}

export function capacityTable(baseline: RunSummary, optimized: RunSummary, p99TargetMs: number): CapacityRow[] {
  const row = (metric: string, unit: string, b: number, o: number, higherIsBetter: boolean): CapacityRow => ({
    metric, unit, baseline: b, optimized: o,
    improvement: higherIsBetter ? (b > 0 ? o / b : Number.POSITIVE_INFINITY) : o > 0 ? b / o : Number.POSITIVE_INFINITY,
  });
  const sb = safeThroughput(baseline, p99TargetMs).safeRatePerSec ?? 0;
  const so = safeThroughput(optimized, p99TargetMs).safeRatePerSec ?? 0;
  const tb = baseline.totals;
  const to = optimized.totals;
  return [
    row(`Safe throughput (P99 < ${p99TargetMs} ms)`, 'req/s', sb, so, true),
    row('Throughput achieved', 'req/s', tb.ratePerSec, to.ratePerSec, true),
    row('Mean latency', 'ms', tb.latencyMs.mean, to.latencyMs.mean, false),
    row('P95 latency', 'ms', tb.latencyMs.p95, to.latencyMs.p95, false),
    row('P99 latency', 'ms', tb.latencyMs.p99, to.latencyMs.p99, false),
    row('Error rate', 'ratio', tb.errorRate, to.errorRate, false),
  ];
}

export function renderCapacityTable(rows: readonly CapacityRow[]): string {
  const fmt = (v: number, unit: string) => (unit === 'ratio' ? `${(v * 100).toFixed(2)}%` : `${Math.round(v * 10) / 10} ${unit}`);
  const lines = ['| Metric | Baseline | Optimized | Improvement |', '|---|---|---|---|'];
  for (const r of rows) lines.push(`| ${r.metric} | ${fmt(r.baseline, r.unit)} | ${fmt(r.optimized, r.unit)} | ${Number.isFinite(r.improvement) ? `${r.improvement.toFixed(1)}x` : 'n/a'} |`);
  return `${lines.join('\n')}\n`;
}
