/**
 * The one histogram module (autocannon's histUtil). Latencies are recorded in microseconds in an
 * HDR histogram (1 µs .. 1 h, 3 significant digits) so percentiles are exact to 0.1% at any
 * tail, memory is flat whatever the request count, and histograms from workers or runs merge
 * losslessly. Percentiles are always merged from histograms, never averaged.
 */
import * as hdr from 'hdr-histogram-js';
import type { TrendValues } from './result.ts';

const LOWEST_US = 1;
const HIGHEST_US = 3_600_000_000;
const SIGNIFICANT_DIGITS = 3;

export type LatencyHistogram = hdr.Histogram;

export function createHistogram(): LatencyHistogram {
  return hdr.build({
    lowestDiscernibleValue: LOWEST_US,
    highestTrackableValue: HIGHEST_US,
    numberOfSignificantValueDigits: SIGNIFICANT_DIGITS,
    bitBucketSize: 64,
    autoResize: true,
    useWebAssembly: false,
  });
}

/** Records a latency given in milliseconds (fractions kept to the microsecond). */
export function recordMs(h: LatencyHistogram, ms: number): void {
  const us = Math.max(LOWEST_US, Math.min(HIGHEST_US, Math.round(ms * 1000)));
  h.recordValue(us);
}

export function merge(into: LatencyHistogram, from: LatencyHistogram): LatencyHistogram {
  into.add(from);
  return into;
}

/** Compressed base64, to store in a run directory or pass between workers. */
export function encode(h: LatencyHistogram): string {
  return hdr.encodeIntoCompressedBase64(h);
}

export function decode(base64: string): LatencyHistogram {
  const h = createHistogram();
  h.add(hdr.decodeFromCompressedBase64(base64, 64, false));
  return h;
}

const us2ms = (us: number) => Math.round(us) / 1000;

export function percentileMs(h: LatencyHistogram, p: number): number {
  return h.totalCount === 0 ? 0 : us2ms(h.getValueAtPercentile(p));
}

export function trendValues(h: LatencyHistogram): TrendValues {
  if (h.totalCount === 0) return { count: 0, min: 0, mean: 0, p50: 0, p90: 0, p95: 0, p99: 0, p999: 0, max: 0 };
  return {
    count: h.totalCount,
    min: us2ms(h.minNonZeroValue),
    mean: Math.round(h.mean) / 1000,
    p50: percentileMs(h, 50),
    p90: percentileMs(h, 90),
    p95: percentileMs(h, 95),
    p99: percentileMs(h, 99),
    p999: percentileMs(h, 99.9),
    max: us2ms(h.maxValue),
  };
}

/** The percentile spectrum (percentile -> ms) for an HDR percentile-distribution chart. */
export function spectrum(h: LatencyHistogram): { percentile: number; ms: number }[] {
  const points = [0, 50, 75, 90, 95, 99, 99.5, 99.9, 99.95, 99.99, 99.999, 100];
  return h.totalCount === 0 ? [] : points.map((p) => ({ percentile: p, ms: percentileMs(h, p) }));
}
