/**
 * Per-second aggregates of the metrics thresholds name, so a threshold with a window
 * (`p(99)<500 over 30s`, `rate<0.001 burn 14.4x over 1m`) is judged on every window of the run, not
 * on the run as a whole. Trends keep one HDR histogram per second (encoded once the second is
 * closed, so memory stays flat), rates passes/fails, counters counts. Merging seconds gives any
 * window exactly; percentiles are never averaged.
 */
import { createHistogram, decode, encode, merge, recordMs, type LatencyHistogram } from '../core/index.ts';

export type WindowMetricType = 'trend' | 'rate' | 'counter' | 'gauge';

/** One second of one metric. tMs is the second's start, since the run started. */
export interface WindowPoint {
  tMs: number;
  /** Trend: HDR-encoded histogram of the second's samples. */
  hist?: string;
  passes?: number;
  fails?: number;
  count?: number;
}

export type WindowSeries = Record<string, { type: WindowMetricType; points: WindowPoint[] }>;

type Open = { hist?: LatencyHistogram; passes: number; fails: number; count: number };

/** Seconds stay open this long after a later sample arrives (samples come almost in order). */
const KEEP_OPEN_S = 3;

export class PerSecondSeries {
  readonly #keys: Set<string>;
  readonly #types = new Map<string, WindowMetricType>();
  readonly #open = new Map<string, Map<number, Open>>();
  readonly #closed = new Map<string, WindowPoint[]>();
  readonly #closedUpTo = new Map<string, number>();

  constructor(keys: Iterable<string>) {
    this.#keys = new Set(keys);
  }

  wants(key: string): boolean {
    return this.#keys.has(key);
  }

  add(key: string, type: WindowMetricType, value: number, tMs: number): void {
    if (!this.#keys.has(key) || type === 'gauge') return;
    this.#types.set(key, type);
    let secs = this.#open.get(key);
    if (!secs) this.#open.set(key, (secs = new Map()));
    // A sample for a second already closed lands in the oldest open one.
    const sec = Math.max(Math.floor(Math.max(0, tMs) / 1000), (this.#closedUpTo.get(key) ?? -1) + 1);
    let o = secs.get(sec);
    if (!o) secs.set(sec, (o = { passes: 0, fails: 0, count: 0, ...(type === 'trend' ? { hist: createHistogram() } : {}) }));
    if (type === 'trend') recordMs(o.hist!, value);
    else if (type === 'rate') value !== 0 ? (o.passes += 1) : (o.fails += 1);
    else o.count += value;
    this.#close(key, sec - KEEP_OPEN_S);
  }

  /** Encodes and drops open seconds up to and including `upTo`. */
  #close(key: string, upTo: number): void {
    const secs = this.#open.get(key);
    if (!secs) return;
    const done = this.#closedUpTo.get(key) ?? -1;
    if (upTo <= done) return;
    const list = this.#closed.get(key) ?? [];
    for (const sec of [...secs.keys()].filter((s) => s <= upTo).sort((a, b) => a - b)) {
      list.push(toPoint(sec, secs.get(sec)!, this.#types.get(key)!));
      secs.delete(sec);
    }
    this.#closed.set(key, list);
    this.#closedUpTo.set(key, upTo);
  }

  /** Everything, every second closed. Seconds without samples are absent. */
  toJSON(): WindowSeries {
    const out: WindowSeries = {};
    for (const key of this.#open.keys()) {
      this.#close(key, Number.MAX_SAFE_INTEGER - 1);
      out[key] = { type: this.#types.get(key)!, points: [...(this.#closed.get(key) ?? [])].sort((a, b) => a.tMs - b.tMs) };
    }
    return out;
  }
}

function toPoint(sec: number, o: Open, type: WindowMetricType): WindowPoint {
  if (type === 'trend') return { tMs: sec * 1000, hist: encode(o.hist!) };
  if (type === 'rate') return { tMs: sec * 1000, passes: o.passes, fails: o.fails };
  return { tMs: sec * 1000, count: o.count };
}

/** Merges per-second series of parallel parts of one run (workers, segments): seconds align on tMs. */
export function mergeWindowSeries(parts: readonly WindowSeries[]): WindowSeries {
  const out: WindowSeries = {};
  for (const part of parts) {
    for (const [key, s] of Object.entries(part)) {
      const into = (out[key] ??= { type: s.type, points: [] });
      for (const p of s.points) {
        const same = into.points.find((q) => q.tMs === p.tMs);
        if (!same) { into.points.push({ ...p }); continue; }
        if (p.hist !== undefined) same.hist = same.hist === undefined ? p.hist : encode(merge(decode(same.hist), decode(p.hist)));
        if (p.passes !== undefined) same.passes = (same.passes ?? 0) + p.passes;
        if (p.fails !== undefined) same.fails = (same.fails ?? 0) + p.fails;
        if (p.count !== undefined) same.count = (same.count ?? 0) + p.count;
      }
      into.points.sort((a, b) => a.tMs - b.tMs);
    }
  }
  return out;
}
