/**
 * Shrinks a time series to at most maxPoints buckets for charting, so a 10-minute or 24-hour run
 * keeps the HTML small. Tails are kept honest: a bucket's p95/p99 is the worst of its points (a
 * spike never disappears), p50 and rates are averaged, errors are summed back to a per-second rate.
 */
import type { TimeSeriesPoint } from '../../core/index.ts';

export function downsample(points: readonly TimeSeriesPoint[], maxPoints = 240): TimeSeriesPoint[] {
  if (points.length <= maxPoints) return [...points];
  const size = Math.ceil(points.length / maxPoints);
  const out: TimeSeriesPoint[] = [];
  for (let i = 0; i < points.length; i += size) {
    const g = points.slice(i, i + size);
    const avg = (f: (p: TimeSeriesPoint) => number) => g.reduce((s, p) => s + f(p), 0) / g.length;
    const maxOf = (f: (p: TimeSeriesPoint) => number | undefined) => {
      const v = g.map(f).filter((x): x is number => typeof x === 'number');
      return v.length ? Math.max(...v) : undefined;
    };
    const offered = g.some((p) => p.offeredRatePerSec !== undefined) ? avg((p) => p.offeredRatePerSec ?? 0) : undefined;
    out.push({
      tMs: g[0]!.tMs,
      // requests and errors stay per original bucket (averaged) so errors/s keeps its meaning.
      requests: avg((p) => p.requests), errors: avg((p) => p.errors), ratePerSec: avg((p) => p.ratePerSec),
      ...(offered !== undefined ? { offeredRatePerSec: offered } : {}),
      p50Ms: avg((p) => p.p50Ms), p95Ms: maxOf((p) => p.p95Ms)!, p99Ms: maxOf((p) => p.p99Ms)!,
      ...(maxOf((p) => p.vus) !== undefined ? { vus: maxOf((p) => p.vus) } : {}),
      ...(maxOf((p) => p.sockets) !== undefined ? { sockets: maxOf((p) => p.sockets) } : {}),
    });
  }
  return out;
}
