import { describe, expect, it } from 'vitest';
import { lowerCriticalCount, mannWhitneyU, shiftEstimate } from './mann-whitney.ts';

/** Independent check: every split of the pooled values into groups of n1 and n2, U by pair counting. */
function bruteForceP(x: number[], y: number[]): number {
  const pooled = [...x, ...y];
  const n2 = y.length;
  const uOf = (head: number[], base: number[]) => {
    let u = 0;
    for (const b of base) for (const h of head) u += h > b ? 1 : h === b ? 0.5 : 0;
    return u;
  };
  const observed = uOf(y, x);
  let total = 0;
  let le = 0;
  let ge = 0;
  const N = pooled.length;
  for (let mask = 0; mask < 1 << N; mask++) {
    let bits = 0;
    for (let i = 0; i < N; i++) if (mask & (1 << i)) bits++;
    if (bits !== n2) continue;
    const head = pooled.filter((_, i) => mask & (1 << i));
    const base = pooled.filter((_, i) => !(mask & (1 << i)));
    const u = uOf(head, base);
    total++;
    if (u <= observed + 1e-9) le++;
    if (u >= observed - 1e-9) ge++;
  }
  return Math.min(1, (2 * Math.min(le, ge)) / total);
}

describe('Mann-Whitney U (exact, small n)', () => {
  it('gives U = 25 and p = 2/252 for two fully separated samples of five', () => {
    const r = mannWhitneyU([1, 2, 3, 4, 5], [6, 7, 8, 9, 10]);
    expect(r).toMatchObject({ n1: 5, n2: 5, u: 25, method: 'exact', ties: false, probabilityHeadGreater: 1 });
    expect(r.pValue).toBeCloseTo(2 / 252, 12);
  });

  it('gives p = 0.0317 for U = 23 of 25 (the classic 5-vs-5 table value) and the same p either way round', () => {
    const base = [1, 2, 3, 4, 7];
    const head = [5, 6, 8, 9, 10];
    const r = mannWhitneyU(base, head);
    expect(r.u).toBe(23);
    expect(r.pValue).toBeCloseTo(8 / 252, 12);
    expect(mannWhitneyU(head, base)).toMatchObject({ u: 2 });
    expect(mannWhitneyU(head, base).pValue).toBeCloseTo(8 / 252, 12);
  });

  it('with ties: U = 8 and p = 0.3 for [1,2,2] vs [2,3,3] (3 of the 20 splits are as extreme)', () => {
    const r = mannWhitneyU([1, 2, 2], [2, 3, 3]);
    expect(r).toMatchObject({ u: 8, ties: true, method: 'exact' });
    expect(r.pValue).toBeCloseTo(0.3, 12);
  });

  it('one run per side can never be significant: p = 1', () => {
    expect(mannWhitneyU([100], [200]).pValue).toBe(1);
    expect(mannWhitneyU([], [1, 2]).pValue).toBe(1);
  });

  it('all values tied: p = 1', () => {
    expect(mannWhitneyU([5, 5, 5], [5, 5, 5, 5]).pValue).toBe(1);
  });

  it('agrees with brute-force enumeration on tied samples of unequal size', () => {
    const cases: Array<[number[], number[]]> = [
      [[1, 2, 2, 3], [2, 3, 4, 5, 5]],
      [[10, 10, 12, 15, 15, 15], [10, 15, 16, 16, 20]],
      [[3, 1, 4, 1, 5], [9, 2, 6, 5, 3, 5]],
      [[7, 7, 7, 8], [7, 8, 8, 9, 9, 9, 9]],
    ];
    for (const [x, y] of cases) expect(mannWhitneyU(x, y).pValue).toBeCloseTo(bruteForceP(x, y), 12);
  });

  it('uses the normal approximation with tie correction above 60 observations', () => {
    const x = Array.from({ length: 40 }, (_, i) => i);
    const same = mannWhitneyU(x, x.map((v) => v + 0.25));
    expect(same.method).toBe('normal');
    expect(same.pValue).toBeGreaterThan(0.8);
    const apart = mannWhitneyU(x, x.map((v) => v + 100));
    expect(apart.pValue).toBeLessThan(1e-10);
    expect(mannWhitneyU(x.map((v) => Math.floor(v / 4)), x.map((v) => Math.floor(v / 4) + 3)).ties).toBe(true);
  });
});

describe('Hodges-Lehmann shift and its confidence interval', () => {
  it('5 vs 5: median difference, and the 3rd..23rd ordered differences at 96.8%', () => {
    const s = shiftEstimate([1, 2, 3, 4, 5], [6, 7, 8, 9, 10]);
    expect(s.estimate).toBe(5);
    expect(s.low).toBe(2);
    expect(s.high).toBe(8);
    expect(s.confidence).toBeCloseTo(1 - 8 / 252, 12);
  });

  it('cannot bound the interval with one run per side', () => {
    expect(shiftEstimate([1], [2])).toMatchObject({ estimate: 1, low: null, high: null });
    expect(lowerCriticalCount(2, 2, 0.025).k).toBe(0);
  });
});
