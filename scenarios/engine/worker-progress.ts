/**
 * Progress of a run on worker threads, for display: a second is shown once every worker has closed
 * it, as the sum of their requests and errors and the worst of their p99s (the final time series
 * merges the seconds' histograms instead; a max of p99s is only a display's estimate).
 */
import type { EngineTick } from './engine-types.ts';
import type { WorkerMessage } from './worker-protocol.ts';

export type TickMessage = Extract<WorkerMessage, { type: 'tick' }>;

interface OpenSecond {
  n: number;
  requests: number;
  errors: number;
  p99Ms: number;
  vus?: number;
}

export class WorkerProgress {
  readonly #count: number;
  readonly #plannedMs: number;
  readonly #now: () => number;
  readonly #t0: number;
  readonly #seconds = new Map<number, OpenSecond>();
  readonly #soFar: Array<{ requests: number; errors: number; p99Ms: number }>;

  /** now: the clock elapsedMs is read from (performance.now() unless a test gives one). */
  constructor(count: number, plannedMs: number, now: () => number = () => performance.now()) {
    this.#count = count;
    this.#plannedMs = plannedMs;
    this.#now = now;
    this.#t0 = now();
    this.#soFar = Array.from({ length: count }, () => ({ requests: 0, errors: 0, p99Ms: 0 }));
  }

  /** Worker `index` (0-based) closed a second: the combined tick once all have, else undefined. */
  add(index: number, m: TickMessage): EngineTick | undefined {
    this.#soFar[index] = { requests: m.requestsSoFar, errors: m.errorsSoFar, p99Ms: m.p99SoFarMs };
    const s = this.#seconds.get(m.tMs) ?? { n: 0, requests: 0, errors: 0, p99Ms: 0 };
    s.n += 1;
    s.requests += m.requests;
    s.errors += m.errors;
    s.p99Ms = Math.max(s.p99Ms, m.p99Ms);
    if (m.vus !== undefined) s.vus = (s.vus ?? 0) + m.vus;
    this.#seconds.set(m.tMs, s);
    if (s.n !== this.#count) return undefined;
    this.#seconds.delete(m.tMs);
    const soFar = this.#soFar;
    return {
      tMs: m.tMs, requests: s.requests, errors: s.errors, ratePerSec: s.requests, p50Ms: 0, p95Ms: 0, p99Ms: s.p99Ms, ...(s.vus !== undefined ? { vus: s.vus } : {}),
      elapsedMs: this.#now() - this.#t0, plannedMs: this.#plannedMs,
      requestsSoFar: soFar.reduce((a, x) => a + x.requests, 0),
      errorsSoFar: soFar.reduce((a, x) => a + x.errors, 0),
      p99SoFarMs: Math.max(...soFar.map((x) => x.p99Ms)),
    };
  }
}
