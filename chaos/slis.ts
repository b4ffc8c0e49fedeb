/**
 * Pure arithmetic over probe samples: SLIs of a time window, the per-second time series, and time
 * to detect / time to recover. No I/O, so tests feed literal samples.
 */
import { createHistogram, percentileMs, recordMs, type TimeSeriesPoint } from '../core/index.ts';

/** One probe call. tMs is when it was sent, since the experiment started. */
export interface Sample {
  tMs: number;
  latencyMs: number;
  ok: boolean;
  /** HTTP status, or an error name ("timeout", "ECONNREFUSED") when there was no response. */
  status: number | string;
  /** The platform's error code for a failed answer ({ error: { code } }), e.g. CIRCUIT_OPEN. */
  reason?: string;
  bytes?: number;
}

export interface Window {
  startMs: number;
  endMs: number;
}

/** The SLIs hypotheses are written against. Latencies in ms; rates are fractions (0.01 = 1%). */
export interface Slis {
  requests: number;
  errors: number;
  errorRate: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  /** P99 of the failed calls only: "how fast does a failure come back" (NF-5). 0 when none failed. */
  failedP99Ms: number;
  /** P99 of the successful calls only. */
  okP99Ms: number;
  /** Calls that got no HTTP answer at all (timeouts, resets, refused), a hang or a crash. */
  noResponse: number;
  /** Count of 503 answers (a dependency down, said so). */
  status503: number;
  /** Fraction of failed calls answered with an HTTP status and an error code (1 when none failed). */
  failedWithReason: number;
  /** Calls the gateway rejected with an open breaker (CIRCUIT_OPEN), and their P99: NF-5's "fails in < 1 ms". */
  circuitOpen: number;
  circuitOpenP50Ms: number;
  circuitOpenP99Ms: number;
}

export function inWindow(samples: readonly Sample[], w: Window): Sample[] {
  return samples.filter((s) => s.tMs >= w.startMs && s.tMs < w.endMs);
}

function pct(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const h = createHistogram();
  for (const v of values) recordMs(h, v);
  return percentileMs(h, p);
}

export function computeSlis(samples: readonly Sample[]): Slis {
  const h = createHistogram();
  let errors = 0;
  let noResponse = 0;
  let status503 = 0;
  let maxMs = 0;
  let withReason = 0;
  const failed: number[] = [];
  const circuitOpen: number[] = [];
  const ok: number[] = [];
  for (const s of samples) {
    recordMs(h, s.latencyMs);
    maxMs = Math.max(maxMs, s.latencyMs);
    if (s.ok) ok.push(s.latencyMs);
    else {
      errors++;
      failed.push(s.latencyMs);
    }
    if (typeof s.status === 'string') noResponse++;
    if (s.status === 503) status503++;
    if (!s.ok && typeof s.status === 'number' && s.reason) withReason++;
    if (s.reason === 'CIRCUIT_OPEN') circuitOpen.push(s.latencyMs);
  }
  const n = samples.length;
  return {
    requests: n,
    errors,
    errorRate: n === 0 ? 0 : errors / n,
    p50Ms: percentileMs(h, 50),
    p95Ms: percentileMs(h, 95),
    p99Ms: percentileMs(h, 99),
    maxMs: Math.round(maxMs * 1000) / 1000,
    failedP99Ms: pct(failed, 99),
    okP99Ms: pct(ok, 99),
    noResponse,
    status503,
    failedWithReason: errors === 0 ? 1 : withReason / errors,
    circuitOpen: circuitOpen.length,
    circuitOpenP50Ms: pct(circuitOpen, 50),
    circuitOpenP99Ms: pct(circuitOpen, 99),
  };
}

/** Per-second points (the shape reports draw), from the first to the last sample. */
export function timeSeries(samples: readonly Sample[], bucketMs = 1000): TimeSeriesPoint[] {
  if (samples.length === 0) return [];
  const buckets = new Map<number, Sample[]>();
  for (const s of samples) {
    const k = Math.floor(s.tMs / bucketMs);
    let b = buckets.get(k);
    if (!b) buckets.set(k, (b = []));
    b.push(s);
  }
  const last = Math.max(...buckets.keys());
  const out: TimeSeriesPoint[] = [];
  for (let k = 0; k <= last; k++) {
    const slis = computeSlis(buckets.get(k) ?? []);
    out.push({
      tMs: k * bucketMs,
      requests: slis.requests,
      errors: slis.errors,
      ratePerSec: (slis.requests * 1000) / bucketMs,
      p50Ms: slis.p50Ms,
      p95Ms: slis.p95Ms,
      p99Ms: slis.p99Ms,
    });
  }
  return out;
}

/** A sample is "bad" when it failed or took longer than the detection threshold. */
export function isBad(s: Sample, slowMs: number): boolean {
  return !s.ok || s.latencyMs > slowMs;
}

/**
 * Time from the fault's start to the first bad sample sent after it (sent at or after the start,
 * or sent before and still in flight: it ends after the start). undefined: the fault had no
 * visible effect.
 */
export function timeToDetectMs(samples: readonly Sample[], faultStartMs: number, faultStopMs: number, slowMs: number): number | undefined {
  let first: number | undefined;
  for (const s of samples) {
    const endMs = s.tMs + s.latencyMs;
    if (endMs < faultStartMs || s.tMs >= faultStopMs || !isBad(s, slowMs)) continue;
    // A slow call is seen when it crosses the threshold; a failure when it returns.
    const seenAt = s.ok ? s.tMs + slowMs : endMs;
    const at = Math.max(seenAt, faultStartMs) - faultStartMs;
    if (first === undefined || at < first) first = at;
  }
  return first === undefined ? undefined : Math.round(first);
}

/**
 * Time from the fault's stop until the first good call after the last bad one, provided the good
 * run that follows spans at least stableMs and minSamples calls. 0 when nothing was bad after the
 * stop; undefined when it had not recovered (stably) by the end of the samples.
 */
export function timeToRecoverMs(samples: readonly Sample[], faultStopMs: number, slowMs: number, stableMs = 1000, minSamples = 3): number | undefined {
  const after = samples.filter((s) => s.tMs >= faultStopMs).sort((a, b) => a.tMs - b.tMs);
  if (after.length === 0) return undefined;
  // Calls sent before the stop but ending after it may fail on the fault: count them as bad at their end.
  const lateBad = samples.filter((s) => s.tMs < faultStopMs && s.tMs + s.latencyMs >= faultStopMs && isBad(s, slowMs));
  let lastBadEnd = Math.max(faultStopMs, ...lateBad.map((s) => s.tMs + s.latencyMs));
  for (const s of after) if (isBad(s, slowMs)) lastBadEnd = Math.max(lastBadEnd, s.tMs + s.latencyMs);
  const good = after.filter((s) => s.tMs >= lastBadEnd);
  if (good.length < minSamples || good[good.length - 1]!.tMs - good[0]!.tMs < stableMs) return undefined;
  return Math.round((lastBadEnd === faultStopMs ? faultStopMs : good[0]!.tMs) - faultStopMs);
}
