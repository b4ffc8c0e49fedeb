import { describe, expect, it } from 'vitest';
import { createRng } from './prng.ts';
import { affinePermutation, zipfContinuous, zipfTable } from './zipf.ts';

function histogram(sample: () => number, n: number, draws: number): Float64Array {
  const counts = new Float64Array(n);
  for (let i = 0; i < draws; i++) counts[sample()]! += 1;
  return counts;
}

describe('zipfTable', () => {
  it('has probabilities that sum to 1 and fall with rank as 1/(rank+1)^s', () => {
    const z = zipfTable(100, 1);
    let sum = 0;
    for (let r = 0; r < 100; r++) sum += z.probability(r);
    expect(sum).toBeCloseTo(1, 12);
    expect(z.probability(0) / z.probability(1)).toBeCloseTo(2, 12);
    expect(z.probability(0) / z.probability(9)).toBeCloseTo(10, 12);
  });

  it('samples each rank about as often as its probability', () => {
    const z = zipfTable(50, 1.2, 3);
    const rng = createRng(9);
    const draws = 200_000;
    const counts = histogram(() => z.sample(rng), 50, draws);
    for (const r of [0, 1, 5, 20, 49]) {
      const expected = z.probability(r) * draws;
      expect(Math.abs(counts[r]! - expected)).toBeLessThan(5 * Math.sqrt(expected) + 5);
    }
  });

  it('flattens the head with an offset', () => {
    expect(zipfTable(100, 1.2, 10).probability(0)).toBeLessThan(zipfTable(100, 1.2, 0).probability(0) / 2);
  });

  it('is deterministic for a seed', () => {
    const z = zipfTable(1000, 1.1);
    const a = createRng(3);
    const b = createRng(3);
    expect(Array.from({ length: 100 }, () => z.sample(a))).toEqual(Array.from({ length: 100 }, () => z.sample(b)));
  });
});

describe('zipfContinuous', () => {
  it('stays in [0, n) and is heavy-headed: the top 1% of ranks get far more than 1% of draws', () => {
    for (const s of [0.8, 1, 1.5]) {
      const z = zipfContinuous(10_000, s);
      const rng = createRng(4);
      let top = 0;
      let min = Infinity;
      let max = -Infinity;
      for (let i = 0; i < 50_000; i++) {
        const r = z.sample(rng);
        min = Math.min(min, r);
        max = Math.max(max, r);
        if (r < 100) top++;
      }
      expect(min).toBe(0);
      expect(max).toBeLessThan(10_000);
      expect(Number.isInteger(max)).toBe(true);
      expect(top / 50_000).toBeGreaterThan(0.2);
    }
  });

  it('with exponent 1 gives rank 0 about twice the draws of rank 1', () => {
    const z = zipfContinuous(1000, 1);
    const rng = createRng(11);
    const counts = histogram(() => z.sample(rng), 1000, 200_000);
    expect(counts[0]! / counts[1]!).toBeGreaterThan(1.4);
    expect(counts[0]! / counts[1]!).toBeLessThan(2.6);
  });
});

describe('affinePermutation', () => {
  it('is a bijection on [0, n)', () => {
    for (const n of [1, 2, 10, 97, 1000, 150_000]) {
      const perm = affinePermutation(n, 12345);
      const seen = new Uint8Array(n);
      for (let i = 0; i < n; i++) seen[perm(i)] = 1;
      expect(seen.every((x) => x === 1)).toBe(true);
    }
  });

  it('stays a bijection where a*i exceeds 2^53', () => {
    const n = 50_000_017;
    const perm = affinePermutation(n, 7);
    const outs = [0, 1, n - 2, n - 1].map(perm);
    for (const o of outs) expect(o).toBeLessThan(n);
    expect(new Set(outs).size).toBe(4);
  });
});
