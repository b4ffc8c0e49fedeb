/**
 * Which part of a plan a segment runs. Segment i/N takes every N-th unit of work, starting at the
 * i-th: VU numbers i, i+N, i+2N, … of a closed model, arrivals i-1, i-1+N, … (0-based) of an open
 * model. Striping (rather than cutting the schedule in N time slices or VU ranges) keeps each
 * segment's share within one unit of 1/N at every instant, so N segments together run what one
 * run runs, VU for VU and arrival for arrival, on the very same intended times. A stripe splits
 * again exactly: segment j/W of stripe {offset, stride} is {offset + (j-1)·stride, stride·W}, which
 * is how worker threads divide a segment among themselves.
 */
import { invalidInput } from '../../core/index.ts';

export interface Stripe {
  /** 0-based residue: this stripe owns units u (0-based) with u % stride === offset. */
  offset: number;
  stride: number;
}

export interface SegmentId {
  /** 1-based. */
  index: number;
  count: number;
}

export const WHOLE: Stripe = { offset: 0, stride: 1 };

/** "2/4" -> { index: 2, count: 4 }; anything else is invalid input naming the value. */
export function parseSegment(text: string): SegmentId {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index < 1 || index > count || count > 10_000) {
    throw invalidInput(`--segment "${text}" is not i/N with 1 <= i <= N <= 10000, e.g. 2/4`);
  }
  return { index, count };
}

export const stripeOf = (s: SegmentId): Stripe => ({ offset: s.index - 1, stride: s.count });

/** Part j (1-based) of W of a stripe. */
export function subStripe(s: Stripe, j: number, w: number): Stripe {
  return { offset: s.offset + (j - 1) * s.stride, stride: s.stride * w };
}

/** Does the stripe own unit u (0-based: VU number − 1, or arrival index)? */
export const owns = (s: Stripe, u: number): boolean => u % s.stride === s.offset;

/** How many of the first n units the stripe owns (VUs of a closed model at a target of n). */
export function shareOf(s: Stripe, n: number): number {
  return n <= s.offset ? 0 : Math.floor((n - 1 - s.offset) / s.stride) + 1;
}

/** The VU numbers (1-based) among 1..n the stripe runs. */
export function vusOf(s: Stripe, n: number): number[] {
  const out: number[] = [];
  for (let vu = s.offset + 1; vu <= n; vu += s.stride) out.push(vu);
  return out;
}

export const isWhole = (s: Stripe): boolean => s.stride === 1;
