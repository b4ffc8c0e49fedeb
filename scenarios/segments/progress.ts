/**
 * Live progress of `brink run --instances N`: every engine process sends its own progress ticks
 * (about one a second) to the parent over IPC; the parent keeps the latest tick of each instance
 * and shows ONE line for the whole run, at most once per interval.
 *
 * What the line can honestly say: counts (requests, errors), the last second's rate, VUs and the
 * offered arrival rate add up across instances; elapsed is the furthest instance's. Percentiles do
 * not add up and the histograms stay in the children until the end, so the P99 shown is the
 * largest of the instances' P99s so far: an upper bound of the merged P99 (the exact one is in the
 * merged result).
 */
import type { ProgressTick } from '../types.ts';

/** One instance's tick as it travels from an engine process to the parent. */
export interface InstanceTickMessage {
  type: 'brink-progress';
  tick: ProgressTick;
}

export const isInstanceTick = (m: unknown): m is InstanceTickMessage =>
  typeof m === 'object' && m !== null && (m as { type?: unknown }).type === 'brink-progress' && typeof (m as { tick?: unknown }).tick === 'object';

/** The whole run's tick from the latest tick of each instance (undefined: not heard from yet). */
export function aggregateTicks(latest: ReadonlyArray<ProgressTick | undefined>): ProgressTick | undefined {
  const ticks = latest.filter((t): t is ProgressTick => t !== undefined);
  if (ticks.length === 0) return undefined;
  const sum = (f: (t: ProgressTick) => number) => ticks.reduce((a, t) => a + f(t), 0);
  const anyVus = ticks.some((t) => t.vus !== undefined);
  const anyOffered = ticks.some((t) => t.offeredRatePerSec !== undefined);
  return {
    tMs: Math.max(...ticks.map((t) => t.tMs)),
    requests: sum((t) => t.requests),
    errors: sum((t) => t.errors),
    ratePerSec: sum((t) => t.ratePerSec),
    ...(anyOffered ? { offeredRatePerSec: sum((t) => t.offeredRatePerSec ?? 0) } : {}),
    // Per-second percentiles of different processes cannot be merged here: the worst is shown.
    p50Ms: Math.max(...ticks.map((t) => t.p50Ms)),
    p95Ms: Math.max(...ticks.map((t) => t.p95Ms)),
    p99Ms: Math.max(...ticks.map((t) => t.p99Ms)),
    ...(anyVus ? { vus: sum((t) => t.vus ?? 0) } : {}),
    p99SoFarMs: Math.max(...ticks.map((t) => t.p99SoFarMs)),
    errorsSoFar: sum((t) => t.errorsSoFar),
    requestsSoFar: sum((t) => t.requestsSoFar),
    elapsedMs: Math.max(...ticks.map((t) => t.elapsedMs)),
    plannedMs: Math.max(...ticks.map((t) => t.plannedMs)),
    instances: { reporting: ticks.length, of: latest.length },
  };
}

/**
 * Keeps each instance's latest tick and hands out the aggregate at most once per `intervalMs`
 * (the clock is passed in, so the throttle is testable without waiting).
 */
export class ProgressAggregator {
  readonly #latest: Array<ProgressTick | undefined>;
  readonly #intervalMs: number;
  #lastEmitMs = Number.NEGATIVE_INFINITY;

  constructor(instances: number, intervalMs = 1000) {
    this.#latest = Array.from({ length: instances }, () => undefined);
    this.#intervalMs = intervalMs;
  }

  /** Records instance `index`'s (1-based) tick; returns the aggregate when one is due. */
  add(index: number, tick: ProgressTick, nowMs: number): ProgressTick | undefined {
    if (!Number.isInteger(index) || index < 1 || index > this.#latest.length) return undefined;
    this.#latest[index - 1] = tick;
    if (nowMs - this.#lastEmitMs < this.#intervalMs) return undefined;
    this.#lastEmitMs = nowMs;
    return aggregateTicks(this.#latest);
  }

  /** The aggregate of what has been heard, whether due or not. */
  current(): ProgressTick | undefined {
    return aggregateTicks(this.#latest);
  }
}

/**
 * The progress line a terminal shows (and a log gets every few seconds): elapsed of planned,
 * requests so far, the last second's rate, errors, VUs or the offered arrival rate, the P99 so far
 * (with instances: the largest instance's, marked "<="), and how many instances were heard from.
 */
export function progressLine(t: ProgressTick): string {
  const s = (ms: number) => `${Math.round(ms / 1000)}s`;
  const pct = Math.min(100, Math.round((t.elapsedMs / Math.max(1, t.plannedMs)) * 100));
  const parts = [
    `${s(t.elapsedMs)}/${s(t.plannedMs)} (${pct}%)`,
    `${t.requestsSoFar} req`,
    `${Math.round(t.ratePerSec)} req/s`,
    `errors ${t.errorsSoFar}`,
    ...(t.vus !== undefined ? [`vus ${t.vus}`] : []),
    ...(t.offeredRatePerSec !== undefined ? [`arrivals ${Math.round(t.offeredRatePerSec)}/s`] : []),
    `p99 so far ${t.instances ? '<= ' : ''}${t.p99SoFarMs.toFixed(1)} ms`,
    ...(t.instances ? [`${t.instances.reporting}/${t.instances.of} instances`] : []),
  ];
  return parts.join('  ');
}
