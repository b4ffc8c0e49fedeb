/**
 * One verdict semantics for every claim, written once (issue 13 item 3). A claim is split into
 * targets; each target is judged from a measured value or marked "not measured". The rules:
 *
 *  - improvement ("80-90% faster", "< 10 ms", "10,000+"): held when the measurement is at least as
 *    good as the claim's weakest bound; beyond the strongest bound it is "better than claimed";
 *  - cost ("+2-5 ms"): failed only when the cost is higher than the claim's upper bound; below the
 *    lower bound it is "cheaper than claimed";
 *  - a value that is missing or not finite is never evidence: the target is "not measured";
 *  - CONFIRMED only when every target was measured and held; REFUTED when none held and at least
 *    one failed; PARTLY when some held; NOT RUN when nothing was measured.
 *
 * These are pure functions over literal numbers: the probes measure, these judge.
 */
import type { ClaimHeadline, ClaimResult, ClaimVerdict } from '../core/index.ts';

export interface Part {
  /** What the claim says, e.g. "optimized < 10 ms". */
  label: string;
  /** true: held; false: failed; undefined: not measured (never evidence either way). */
  ok: boolean | undefined;
  /** The measured value as shown, e.g. "0.09 ms", or why it was not measured. */
  measured: string;
  /** "better than claimed" / "cheaper than claimed" when the measurement beat the claim. */
  note?: string;
  /** The numbers behind a measured numeric target (the claims chart plots claimed vs measured). */
  num?: PartNumber;
}

export interface PartNumber {
  kind: 'improvement' | 'cost' | 'flaw';
  value: number;
  /** The bound the target is held against (the claim's weakest). */
  claimed: number;
  better: 'lower' | 'higher';
  show: (v: number) => string;
}

const finite = (x: number | undefined): x is number => typeof x === 'number' && Number.isFinite(x);

/**
 * `value` as shown next to the bound it is judged against: when the usual rounding would print
 * both alike ("50%" for 49.7% against 50%), more digits, so a failed target never reads as met.
 */
export function showAgainst(f: (v: number) => string, value: number, bound: number): string {
  if (value === bound || f(value) !== f(bound)) return f(value);
  if (f === show.pct) return `${(value * 100).toFixed(2)}%`;
  if (f === show.x) return `${value.toFixed(3)}x`;
  if (f === show.ms || f === show.plusMs) return `${value >= 0 && f === show.plusMs ? '+' : ''}${value.toFixed(3)} ms`;
  return String(Number(value.toPrecision(6)));
}

/**
 * An improvement target where larger is better ("60-80% smaller", "10,000+ connections", "3-5x").
 * `claimed` is the claim's range [weakest, strongest] (or one bound); held when value >= weakest.
 */
export function higherIsBetter(label: string, value: number | undefined, claimed: number | readonly [number, number], show: (v: number) => string): Part {
  const [lo, hi] = typeof claimed === 'number' ? [claimed, claimed] : claimed;
  if (!finite(value)) return { label, ok: undefined, measured: 'not measured' };
  const ok = value >= lo;
  return { label, ok, measured: showAgainst(show, value, lo), ...(ok && value > hi ? { note: 'better than claimed' } : {}), num: { kind: 'improvement', value, claimed: lo, better: 'higher', show } };
}

/**
 * An improvement target where smaller is better ("< 10 ms", "P99 < 500 ms"). `claimed` is the
 * bound (or [strongest, weakest] for a range like "10-50 ms"): held when value <= weakest.
 */
export function lowerIsBetter(label: string, value: number | undefined, claimed: number | readonly [number, number], show: (v: number) => string, opts: { strict?: boolean } = {}): Part {
  const [lo, hi] = typeof claimed === 'number' ? [claimed, claimed] : claimed;
  if (!finite(value)) return { label, ok: undefined, measured: 'not measured' };
  const ok = opts.strict ? value < hi : value <= hi;
  return { label, ok, measured: showAgainst(show, value, hi), ...(ok && value < lo ? { note: 'better than claimed' } : {}), num: { kind: 'improvement', value, claimed: hi, better: 'lower', show } };
}

/** A cost target ("+2-5 ms"): REFUTED only when costlier than the upper bound. */
export function costAtMost(label: string, value: number | undefined, claimed: number | readonly [number, number], show: (v: number) => string): Part {
  const [lo, hi] = typeof claimed === 'number' ? [claimed, claimed] : claimed;
  if (!finite(value)) return { label, ok: undefined, measured: 'not measured' };
  const ok = value <= hi;
  return { label, ok, measured: showAgainst(show, value, hi), ...(ok && value < lo ? { note: 'cheaper than claimed' } : {}), num: { kind: 'cost', value, claimed: hi, better: 'lower', show } };
}

/**
 * A claimed flaw of the baseline ("> 500 ms at 10,000 posts", "all misses reach Postgres"): held
 * when the measurement is at least as bad as claimed (the flaw is real). Measuring it smaller
 * fails the target: the document overstated the problem.
 */
export function flawAtLeast(label: string, value: number | undefined, claimed: number, show: (v: number) => string): Part {
  if (!finite(value)) return { label, ok: undefined, measured: 'not measured' };
  return { label, ok: value >= claimed, measured: showAgainst(show, value, claimed), num: { kind: 'flaw', value, claimed, better: 'higher', show } };
}

/** A yes/no target; `undefined` when the observation could not be made. */
export function fact(label: string, ok: boolean | undefined, measured: string): Part {
  return { label, ok, measured: ok === undefined && measured === '' ? 'not measured' : measured };
}

/** A target this run did not measure, with why. */
export function unmeasured(label: string, why: string): Part {
  return { label, ok: undefined, measured: `not measured: ${why}` };
}

const describe = (p: Part) => `${p.label} (${p.ok === undefined ? p.measured : `measured ${p.measured}`}${p.note ? `, ${p.note}` : ''})`;

/** The verdict and a reason that names what held, what failed and what was not measured. */
export function verdictOf(parts: readonly Part[]): { verdict: ClaimVerdict; reason: string } {
  const held = parts.filter((p) => p.ok === true);
  const failed = parts.filter((p) => p.ok === false);
  const missing = parts.filter((p) => p.ok === undefined);
  const reason = [
    held.length ? `held: ${held.map(describe).join('; ')}` : '',
    failed.length ? `failed: ${failed.map(describe).join('; ')}` : '',
    missing.length ? `not measured: ${missing.map(describe).join('; ')}` : '',
  ].filter(Boolean).join(' | ');
  if (parts.length === 0 || held.length + failed.length === 0) return { verdict: 'NOT RUN', reason: reason || 'nothing was measured' };
  if (failed.length === 0 && missing.length === 0) return { verdict: 'CONFIRMED', reason };
  if (held.length === 0) return { verdict: 'REFUTED', reason };
  return { verdict: 'PARTLY', reason };
}

export type ProbeResult = Omit<ClaimResult, 'claim'>;

/** The unit a formatter prints; fractions (show.pct) are charted as percent. */
function unitOf(f: (v: number) => string): { unit: string; scale: number } {
  if (f === show.ms || f === show.plusMs) return { unit: 'ms', scale: 1 };
  if (f === show.pct) return { unit: '%', scale: 100 };
  if (f === show.x) return { unit: 'x', scale: 1 };
  if (f === show.rate) return { unit: 'per s', scale: 1 };
  if (f === show.n) return { unit: 'count', scale: 1 };
  return { unit: 'value', scale: 1 };
}

/**
 * The claim's headline for the claims chart: the first measured improvement or cost target (what
 * the fix promises), else the first measured flaw; none when no numeric target was measured.
 */
export function headlineOf(parts: readonly Part[]): ClaimHeadline | undefined {
  const numeric = parts.filter((p) => p.num && p.ok !== undefined);
  const p = numeric.find((x) => x.num!.kind !== 'flaw') ?? numeric[0];
  if (!p) return undefined;
  const { unit, scale } = unitOf(p.num!.show);
  return { metric: p.label, unit, claimed: p.num!.claimed * scale, measured: p.num!.value * scale, better: p.num!.better };
}

/** A claim row from its parts; values missing or not finite are left out of the JSON. */
export function judged(id: string, method: string, measured: string, parts: readonly Part[], values: Record<string, number | undefined> = {}, opts: { headline?: ClaimHeadline } = {}): ProbeResult {
  const clean = Object.fromEntries(Object.entries(values).filter((e): e is [string, number] => finite(e[1])));
  const headline = opts.headline ?? headlineOf(parts);
  return { id, method, measured, ...verdictOf(parts), values: clean, ...(headline ? { headline } : {}) };
}

/** NOT RUN with the true reason (a failed step, a missing run), never a guess. */
export function notRun(id: string, reason: string, method = '-'): ProbeResult {
  return { id, method, measured: '-', verdict: 'NOT RUN', reason };
}

/** A claim one machine cannot show, with why and, where there is one, a model's estimate from measured figures. */
export function notMeasurable(id: string, reason: string, modelEstimate?: string, method = 'not run: needs more than one machine'): ProbeResult {
  return { id, method, measured: '-', verdict: 'NOT MEASURABLE HERE', reason, ...(modelEstimate ? { modelEstimate } : {}) };
}

/** Formatting helpers shared by the judges. */
export const show = {
  ms: (v: number) => (v >= 1000 ? `${(v / 1000).toFixed(2)} s` : v >= 10 ? `${v.toFixed(0)} ms` : v >= 1 ? `${v.toFixed(1)} ms` : `${v.toFixed(2)} ms`),
  pct: (v: number) => `${(v * 100).toFixed(0)}%`,
  x: (v: number) => `${v.toFixed(1)}x`,
  n: (v: number) => v.toLocaleString('en'),
  rate: (v: number) => `${v.toFixed(0)}/s`,
  plusMs: (v: number) => `${v >= 0 ? '+' : ''}${v.toFixed(2)} ms`,
};
