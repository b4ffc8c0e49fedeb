/** Reading scenario runs (RunSummary) for the capacity and SLI claims. */
import type { RunSummary, TrendValues } from '../../core/index.ts';

/** The latency of requests whose name contains `part` (merged by taking the worst p99 of matches), else the totals. */
export function endpointLatency(run: RunSummary | undefined, part: string): TrendValues | undefined {
  if (!run) return undefined;
  const matches = run.endpoints.filter((e) => e.name.includes(part));
  if (matches.length === 0) return undefined;
  return matches.reduce((worst, e) => (e.latencyMs.p99 > worst.latencyMs.p99 ? e : worst)).latencyMs;
}

export function trend(run: RunSummary | undefined, metric: string): TrendValues | undefined {
  const m = run?.metrics[metric];
  return m && m.type === 'trend' ? m.values : undefined;
}

/** Highest per-second achieved rate whose p99 stayed under the target (the knee of the curve). */
export function safeThroughput(run: RunSummary | undefined, p99TargetMs: number): number | undefined {
  if (!run || run.timeSeries.length === 0) return undefined;
  const ok = run.timeSeries.filter((p) => p.requests > 0 && p.p99Ms < p99TargetMs && p.errors === 0);
  return ok.length ? Math.max(...ok.map((p) => p.ratePerSec)) : 0;
}
