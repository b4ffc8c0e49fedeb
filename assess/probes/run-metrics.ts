/** Reading scenario runs (RunSummary) for the capacity and SLI claims. */
import type { RunSummary, TrendValues } from '../../core/index.ts';

/** The latency of requests whose name contains `part` (merged by taking the worst p99 of matches), else undefined. */
export function endpointLatency(run: RunSummary | undefined, part: string): TrendValues | undefined {
  if (!run) return undefined;
  const matches = run.endpoints.filter((e) => e.name.includes(part) && e.requests > 0);
  if (matches.length === 0) return undefined;
  return matches.reduce((worst, e) => (e.latencyMs.p99 > worst.latencyMs.p99 ? e : worst)).latencyMs;
}

export function trend(run: RunSummary | undefined, metric: string): TrendValues | undefined {
  const m = run?.metrics[metric];
  return m && m.type === 'trend' && m.values.count > 0 ? m.values : undefined;
}

/** Highest per-second achieved rate whose p99 stayed under the target (the knee of the curve). */
export function safeThroughput(run: RunSummary | undefined, p99TargetMs: number): number | undefined {
  if (!run || run.timeSeries.length === 0) return undefined;
  const ok = run.timeSeries.filter((p) => p.requests > 0 && p.p99Ms < p99TargetMs && p.errors === 0);
  return ok.length ? Math.max(...ok.map((p) => p.ratePerSec)) : 0;
}

/**
 * Where the run's capacity was found: `found` only when some second broke the target (P99 or
 * errors). If every second held, the run shows a lower bound (the plan's rate), not the capacity.
 */
export interface Knee {
  safeRatePerSec: number;
  found: boolean;
  peakRatePerSec: number;
  peakOfferedRatePerSec?: number;
}

export function kneeOf(run: RunSummary | undefined, p99TargetMs: number): Knee | undefined {
  if (!run || run.timeSeries.length === 0) return undefined;
  const pts = run.timeSeries.filter((p) => p.requests > 0);
  if (pts.length === 0) return undefined;
  const found = pts.some((p) => p.p99Ms >= p99TargetMs || p.errors > 0);
  const offered = pts.map((p) => p.offeredRatePerSec).filter((x): x is number => typeof x === 'number');
  return {
    safeRatePerSec: safeThroughput(run, p99TargetMs) ?? 0,
    found,
    peakRatePerSec: Math.max(...pts.map((p) => p.ratePerSec)),
    ...(offered.length ? { peakOfferedRatePerSec: Math.max(...offered) } : {}),
  };
}

/** Most sockets held at once in a run (chat), when the engine recorded them. */
export function peakSockets(run: RunSummary | undefined): number | undefined {
  const s = run?.timeSeries.map((p) => p.sockets).filter((x): x is number => typeof x === 'number') ?? [];
  return s.length ? Math.max(...s) : undefined;
}
