/**
 * The aggregated progress of `brink run --instances N`: counts and rates add up, elapsed and the
 * P99 bound are the largest, the throttle hands out at most one line per interval, and the line
 * says how many instances were heard from.
 */
import { describe, expect, it } from 'vitest';
import type { ProgressTick } from '../types.ts';
import { aggregateTicks, isInstanceTick, ProgressAggregator, progressLine } from './progress.ts';

const tick = (o: Partial<ProgressTick>): ProgressTick => ({
  tMs: 1000, requests: 10, errors: 0, ratePerSec: 10, p50Ms: 1, p95Ms: 2, p99Ms: 3,
  p99SoFarMs: 3, errorsSoFar: 0, requestsSoFar: 10, elapsedMs: 1000, plannedMs: 10_000, ...o,
});

describe('aggregateTicks', () => {
  it('sums counts, rates and VUs, and takes the largest elapsed and P99 of the instances', () => {
    const a = tick({ tMs: 4000, requests: 100, errors: 1, ratePerSec: 100, vus: 5, p99Ms: 12, p99SoFarMs: 20, requestsSoFar: 400, errorsSoFar: 2, elapsedMs: 4100 });
    const b = tick({ tMs: 3000, requests: 90, errors: 0, ratePerSec: 90, vus: 4, p99Ms: 30, p99SoFarMs: 25, requestsSoFar: 310, errorsSoFar: 5, elapsedMs: 3900 });
    expect(aggregateTicks([a, b])).toEqual({
      tMs: 4000, requests: 190, errors: 1, ratePerSec: 190, p50Ms: 1, p95Ms: 2, p99Ms: 30, vus: 9,
      p99SoFarMs: 25, errorsSoFar: 7, requestsSoFar: 710, elapsedMs: 4100, plannedMs: 10_000,
      instances: { reporting: 2, of: 2 },
    });
  });

  it('counts the instances not heard from yet, and adds offered arrival rates when there are any', () => {
    const t = aggregateTicks([undefined, tick({ offeredRatePerSec: 50 }), tick({ offeredRatePerSec: 40 })]);
    expect(t?.instances).toEqual({ reporting: 2, of: 3 });
    expect(t?.offeredRatePerSec).toBe(90);
    expect(t?.vus).toBeUndefined();
    expect(aggregateTicks([undefined, undefined])).toBeUndefined();
  });
});

describe('ProgressAggregator', () => {
  it('hands out the aggregate at most once per interval, always of the latest tick of each instance', () => {
    const agg = new ProgressAggregator(2, 1000);
    expect(agg.add(1, tick({ requestsSoFar: 10 }), 0)?.requestsSoFar).toBe(10);
    // Within the interval: remembered, not shown.
    expect(agg.add(2, tick({ requestsSoFar: 7 }), 400)).toBeUndefined();
    expect(agg.add(1, tick({ requestsSoFar: 20 }), 900)).toBeUndefined();
    const due = agg.add(2, tick({ requestsSoFar: 8 }), 1000);
    expect(due?.requestsSoFar).toBe(28);
    expect(due?.instances).toEqual({ reporting: 2, of: 2 });
    expect(agg.current()?.requestsSoFar).toBe(28);
  });

  it('ignores an instance number outside 1..N', () => {
    const agg = new ProgressAggregator(2, 0);
    expect(agg.add(0, tick({}), 0)).toBeUndefined();
    expect(agg.add(3, tick({}), 0)).toBeUndefined();
    expect(agg.current()).toBeUndefined();
  });
});

describe('progressLine and the IPC message', () => {
  it('shows elapsed of planned, requests, rate, errors, VUs, the P99 bound and the instances heard from', () => {
    const t = aggregateTicks([tick({ elapsedMs: 3000, requestsSoFar: 300, ratePerSec: 101.4, errorsSoFar: 2, vus: 6, p99SoFarMs: 12.34 }), undefined])!;
    expect(progressLine(t)).toBe('3s/10s (30%)  300 req  101 req/s  errors 2  vus 6  p99 so far <= 12.3 ms  1/2 instances');
    expect(progressLine(tick({ offeredRatePerSec: 30 }))).toBe('1s/10s (10%)  10 req  10 req/s  errors 0  arrivals 30/s  p99 so far 3.0 ms');
  });

  it('recognises only progress messages', () => {
    expect(isInstanceTick({ type: 'brink-progress', tick: tick({}) })).toBe(true);
    expect(isInstanceTick({ type: 'other', tick: tick({}) })).toBe(false);
    expect(isInstanceTick('brink-progress')).toBe(false);
    expect(isInstanceTick(null)).toBe(false);
  });
});
