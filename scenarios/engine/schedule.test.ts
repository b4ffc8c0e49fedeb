import { describe, expect, it } from 'vitest';
import { arrivalTimes, ownArrivals, phaseNames, planDurationS, rateSegments, segments, valueAt, vuSegments } from './schedule.ts';

const take = (g: Generator<number>, n = Infinity) => {
  const out: number[] = [];
  for (const t of g) {
    if (out.length >= n) break;
    out.push(t);
  }
  return out;
};

describe('open-model arrivals', () => {
  it('spaces a constant rate evenly from t=0', () => {
    const t = take(arrivalTimes(rateSegments({ executor: 'constant-arrival-rate', rate: 4, timeUnit: '1s', duration: '2s', preAllocatedVUs: 1 })));
    expect(t).toEqual([0, 0.25, 0.5, 0.75, 1, 1.25, 1.5, 1.75]);
  });

  it('honours timeUnit', () => {
    const t = take(arrivalTimes(rateSegments({ executor: 'constant-arrival-rate', rate: 30, timeUnit: '1m', duration: '10s', preAllocatedVUs: 1 })));
    expect(t).toEqual([0, 2, 4, 6, 8]);
  });

  it('follows a linear ramp: the i-th arrival is where the integral of the rate reaches i', () => {
    // 0 -> 10/s over 10 s: N(t) = t^2 / 2, so arrival i is at sqrt(2i); 50 arrivals in all.
    const t = take(arrivalTimes(segments(0, [{ duration: '10s', target: 10 }])));
    expect(t).toHaveLength(50);
    t.forEach((ti, i) => expect(ti).toBeCloseTo(Math.sqrt(2 * i), 9));
  });

  it('carries fractional arrivals across stages and skips idle stages', () => {
    // 1.5/s for 1 s (arrivals at 0 and 2/3), nothing for 1 s, then 1/s for 2 s (the third is due at
    // 2 + 0.5 = 2.5 s because 0.5 of an arrival was left over from the first stage).
    const t = take(arrivalTimes(segments(1.5, [{ duration: '1s', target: 1.5 }, { duration: '1s', target: 0 }, { duration: '0s', target: 1 }, { duration: '2s', target: 1 }])));
    expect(t[0]).toBe(0);
    expect(t[1]).toBeCloseTo(2 / 3, 9);
    expect(t.length).toBe(Math.ceil(1.5 + 0.75 + 2 - 1e-9));
  });

  it('plans ramping-arrival-rate from its startRate', () => {
    const segs = rateSegments({ executor: 'ramping-arrival-rate', startRate: 60, timeUnit: '1m', preAllocatedVUs: 1, stages: [{ duration: '1m', target: 120 }] });
    expect(segs).toEqual([{ startS: 0, durationS: 60, from: 1, to: 2 }]);
    expect(take(arrivalTimes(segs)).length).toBe(90);
  });
});

describe("a stripe's arrivals", () => {
  const segs = rateSegments({ executor: 'constant-arrival-rate', rate: 4, timeUnit: '1s', duration: '2s', preAllocatedVUs: 1 });

  it('takes every stride-th arrival from its offset, on the whole plan\'s intended times', () => {
    expect(take(ownArrivals(segs, { offset: 1, stride: 3 }))).toEqual([0.25, 1, 1.75]);
    expect(take(ownArrivals(segs, { offset: 0, stride: 1 }))).toEqual(take(arrivalTimes(segs)));
  });

  it('splits the plan into disjoint parts that together are all of it', () => {
    const parts = [0, 1, 2].map((offset) => take(ownArrivals(segs, { offset, stride: 3 })));
    expect(parts.map((p) => p.length)).toEqual([3, 3, 2]);
    expect(parts.flat().sort((a, b) => a - b)).toEqual(take(arrivalTimes(segs)));
  });
});

describe('closed-model VUs and phases', () => {
  const nv14 = { executor: 'ramping-vus' as const, startVUs: 0, stages: [{ duration: '2m', target: 10 }, { duration: '5m', target: 100 }, { duration: '2m', target: 200 }, { duration: '1m', target: 0 }] };

  it('interpolates VUs linearly within stages, as k6 ramping-vus does', () => {
    const segs = vuSegments(nv14);
    expect(valueAt(segs, 0)).toBe(0);
    expect(valueAt(segs, 60)).toBe(5);
    expect(valueAt(segs, 120)).toBe(10);
    expect(valueAt(segs, 270)).toBe(55);
    expect(valueAt(segs, 540)).toBe(200);
    expect(valueAt(segs, 600)).toBe(0);
    expect(planDurationS(nv14)).toBe(600);
  });

  it('names one phase per stage', () => {
    expect(phaseNames(nv14).map((p) => p.name)).toEqual([
      'stage 1: 0 -> 10 VUs over 120s',
      'stage 2: 10 -> 100 VUs over 300s',
      'stage 3: 100 -> 200 VUs over 120s',
      'stage 4: 200 -> 0 VUs over 60s',
    ]);
    expect(phaseNames({ executor: 'constant-vus', vus: 2, duration: '10s' })).toEqual([{ name: 'steady: 2 VUs for 10s', startS: 0, endS: 10, target: 2, unit: 'vus' }]);
  });
});
