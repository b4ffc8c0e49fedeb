/**
 * The maths of load plans, pure: how many VUs a closed model wants at time t, and when each
 * arrival of an open model is due. Open-model arrivals are computed from the plan alone (never
 * from when the previous request finished), so a stalled server cannot slow the schedule down:
 * latency is then measured from these intended times, as wrk2 does (coordinated omission).
 * It reads a compiled schedule (k6/lib/schedule.js): no duration is parsed here.
 */
import type { ExecutorConfig, Schedule, Segment, Stage } from '../k6/lib/schedule.js';
import { compileSchedule, rampSegments } from '../k6/lib/schedule.js';
import { owns, type Stripe } from '../segments/stripe.ts';

export type { Schedule, Segment } from '../k6/lib/schedule.js';
export { compileSchedule, scheduleOf } from '../k6/lib/schedule.js';

/** Stages as segments with absolute start times; the value ramps linearly from `from` to `to`. */
export function segments(start: number, stages: readonly Stage[]): Segment[] {
  return rampSegments(start, stages);
}

/** The value of a piecewise-linear plan at tS (VUs for ramping-vus, rate for arrival-rate). */
export function valueAt(segs: readonly Segment[], tS: number): number {
  for (const s of segs) {
    if (tS < s.startS + s.durationS) {
      const f = s.durationS === 0 ? 1 : (tS - s.startS) / s.durationS;
      return s.from + (s.to - s.from) * Math.max(0, f);
    }
  }
  return segs.length ? segs[segs.length - 1]!.to : 0;
}

/** The planned duration of an executor config, seconds (without graceful stop). */
export function planDurationS(c: ExecutorConfig): number {
  return compileSchedule({ scenario: c }).durationS;
}

/** Rate segments of an open model, per second. */
export function rateSegments(c: ExecutorConfig): Segment[] {
  const s = compileSchedule({ scenario: c });
  if (!s.open) throw new Error(`${c.executor} is not an open model`);
  return s.segments;
}

/** VU segments of a closed model. */
export function vuSegments(c: ExecutorConfig): Segment[] {
  const s = compileSchedule({ scenario: c });
  if (s.open) throw new Error(`${c.executor} is not a closed model`);
  return s.segments;
}

export function isOpenModel(c: ExecutorConfig): boolean {
  return c.executor === 'constant-arrival-rate' || c.executor === 'ramping-arrival-rate';
}

/**
 * Intended arrival times (seconds from start) of an open model: the i-th arrival (i = 0, 1, …) is
 * due when the integral of the rate reaches i. Within a linear ramp from r0 to r1 over D seconds the
 * count after t seconds is r0·t + (r1 − r0)·t²/(2D), so each time is a root of a quadratic.
 */
export function* arrivalTimes(segs: readonly Segment[]): Generator<number> {
  let before = 0; // arrivals due before the current segment (a real number)
  let next = 0; // index of the next arrival
  for (const s of segs) {
    const total = ((s.from + s.to) / 2) * s.durationS;
    const a = s.durationS === 0 ? 0 : (s.to - s.from) / (2 * s.durationS);
    const b = s.from;
    while (next < before + total - 1e-9) {
      const c = next - before;
      let t: number;
      if (Math.abs(a) < 1e-12) t = b === 0 ? 0 : c / b;
      else t = (-b + Math.sqrt(Math.max(0, b * b + 4 * a * c))) / (2 * a);
      yield s.startS + Math.min(t, s.durationS);
      next += 1;
    }
    before += total;
  }
}

/**
 * The arrivals a stripe sends: those of the whole plan whose index (0-based) it owns, each on its
 * own intended time, so N stripes together send every arrival of the plan exactly once.
 */
export function* ownArrivals(segs: readonly Segment[], stripe: Stripe): Generator<number> {
  let index = 0;
  for (const t of arrivalTimes(segs)) {
    if (owns(stripe, index)) yield t;
    index += 1;
  }
}

export interface PhaseName {
  name: string;
  startS: number;
  endS: number;
  target: number;
  unit: 'vus' | 'rate';
}

/** Names of the plan's phases (one per stage), e.g. "stage 2: 10 -> 100 VUs over 300s". */
export function phaseNames(c: ExecutorConfig): PhaseName[] {
  return phaseNamesOf(compileSchedule({ scenario: c }));
}

/** The same, read from a compiled schedule. */
export function phaseNamesOf(schedule: Schedule): PhaseName[] {
  const { open, segments: segs } = schedule;
  const unit = open ? 'rate' : 'vus';
  if (segs.length === 1) {
    const s = segs[0]!;
    return [{ name: `steady: ${s.to} ${open ? 'per s' : 'VUs'} for ${s.durationS}s`, startS: 0, endS: s.durationS, target: s.to, unit }];
  }
  return segs.map((s, i) => ({
    name: `stage ${i + 1}: ${round(s.from)} -> ${round(s.to)} ${open ? 'per s' : 'VUs'} over ${s.durationS}s`,
    startS: s.startS,
    endS: s.startS + s.durationS,
    target: s.to,
    unit,
  }));
}

const round = (n: number) => Math.round(n * 100) / 100;
