/**
 * Safe throughput: the highest achieved rate at which P99 stayed under the target and errors
 * under their limit, read from a run's phases (a step or ramp scenario) or, when it has no
 * phases, from its per-second time series. Headroom compares that with an expected load.
 */
import type { RunSummary } from '../../core/index.ts';

export interface SafeThroughput {
  /** Highest rate meeting the target; 0 when no step met it; undefined without data. */
  safeRatePerSec?: number;
  /** The lowest rate that broke the target (the knee), if any. */
  firstFailingRatePerSec?: number;
  basis: 'phases' | 'timeSeries' | 'none';
  p99TargetMs: number;
  steps: Array<{ label: string; ratePerSec: number; p99Ms: number; errorRate: number; ok: boolean }>;
}

export function safeThroughput(run: RunSummary, p99TargetMs: number, maxErrorRate = 0.01): SafeThroughput {
  let steps: SafeThroughput['steps'] = run.phases
    .filter((p) => p.requests > 0)
    .map((p) => ({ label: p.name, ratePerSec: p.ratePerSec, p99Ms: p.latencyMs.p99, errorRate: p.errors / p.requests, ok: false }));
  let basis: SafeThroughput['basis'] = 'phases';
  if (steps.length === 0) {
    basis = 'timeSeries';
    steps = run.timeSeries
      .filter((p) => p.requests > 0)
      .map((p) => ({ label: `t=${Math.round(p.tMs / 1000)}s`, ratePerSec: p.ratePerSec, p99Ms: p.p99Ms, errorRate: p.errors / p.requests, ok: false }));
  }
  if (steps.length === 0) return { basis: 'none', p99TargetMs, steps };
  for (const s of steps) s.ok = s.p99Ms < p99TargetMs && s.errorRate <= maxErrorRate;
  const ok = steps.filter((s) => s.ok).map((s) => s.ratePerSec);
  const bad = steps.filter((s) => !s.ok).map((s) => s.ratePerSec);
  return {
    safeRatePerSec: ok.length ? Math.max(...ok) : 0,
    ...(bad.length ? { firstFailingRatePerSec: Math.min(...bad) } : {}),
    basis,
    p99TargetMs,
    steps,
  };
}

/** Headroom of a safe rate over an expected load: 1.0 = exactly at capacity, 2.0 = twice the load fits. */
export function headroom(safeRatePerSec: number, expectedRatePerSec: number): { ratio: number; spareRatePerSec: number } {
  return { ratio: expectedRatePerSec > 0 ? safeRatePerSec / expectedRatePerSec : Number.POSITIVE_INFINITY, spareRatePerSec: safeRatePerSec - expectedRatePerSec };
}
