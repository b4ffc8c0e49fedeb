/**
 * Zipf-like (power-law) samplers. Real social data is heavy-tailed: a few users are followed by
 * most, a few posts get most comments, a few words fill most sentences. Rank 0 is the most likely.
 *
 * - `zipfTable` is exact (alias table) for small n, e.g. a vocabulary.
 * - `zipfContinuous` inverts the continuous power law in O(1) with no table, for n in the millions
 *   (comments over 10M posts), at the cost of slightly different weights for the first ranks.
 */
import type { Rng } from './prng.ts';

export interface ZipfSampler {
  readonly n: number;
  readonly exponent: number;
  /** A rank in [0, n). */
  sample(rng: Rng): number;
}

export interface ZipfTable extends ZipfSampler {
  /** Probability of one rank. */
  probability(rank: number): number;
}

/**
 * Exact sampler over n ranks with weight 1 / (rank + 1 + offset)^exponent (Zipf-Mandelbrot; offset 0
 * is plain Zipf, a positive offset flattens the head). Vose's alias method: one draw per sample.
 */
export function zipfTable(n: number, exponent: number, offset = 0): ZipfTable {
  if (!(n >= 1)) throw new Error(`zipf needs n >= 1, got ${n}`);
  const weights = new Float64Array(n);
  let total = 0;
  for (let r = 0; r < n; r++) {
    weights[r] = 1 / Math.pow(r + 1 + offset, exponent);
    total += weights[r]!;
  }
  const prob = new Float64Array(n);
  const alias = new Int32Array(n);
  const scaled = Array.from(weights, (w) => (w / total) * n);
  const small: number[] = [];
  const large: number[] = [];
  scaled.forEach((p, i) => (p < 1 ? small : large).push(i));
  while (small.length > 0 && large.length > 0) {
    const s = small.pop()!;
    const l = large.pop()!;
    prob[s] = scaled[s]!;
    alias[s] = l;
    scaled[l] = scaled[l]! + scaled[s]! - 1;
    (scaled[l]! < 1 ? small : large).push(l);
  }
  for (const i of [...small, ...large]) {
    prob[i] = 1;
    alias[i] = i;
  }
  return {
    n,
    exponent,
    probability: (rank) => weights[rank]! / total,
    sample(rng) {
      const x = rng.float() * n;
      const i = Math.floor(x);
      return x - i < prob[i]! ? i : alias[i]!;
    },
  };
}

export function zipfContinuous(n: number, exponent: number): ZipfSampler {
  if (!(n >= 1)) throw new Error(`zipf needs n >= 1, got ${n}`);
  const top = n + 1;
  if (Math.abs(exponent - 1) < 1e-9) {
    const logTop = Math.log(top);
    return { n, exponent, sample: (rng) => Math.min(n - 1, Math.floor(Math.exp(rng.float() * logTop)) - 1) };
  }
  const oneMinus = 1 - exponent;
  const span = Math.pow(top, oneMinus) - 1;
  return {
    n,
    exponent,
    sample: (rng) => Math.min(n - 1, Math.max(0, Math.floor(Math.pow(span * rng.float() + 1, 1 / oneMinus)) - 1)),
  };
}

/**
 * A fixed pseudo-random permutation of [0, n) in O(1) per lookup (an affine map modulo n with a
 * multiplier coprime to n), so "the most popular post" is not simply post 1.
 */
export function affinePermutation(n: number, salt: number): (i: number) => number {
  let a = (Math.floor(n * 0.6180339887) + (salt % 997)) | 1;
  while (gcd(a, n) !== 1) a += 2;
  const b = salt % Math.max(1, n);
  // a * i can exceed 2^53 for large n; BigInt-free: (a mod n) * i fits when n < 2^26.5, so split.
  return (i) => (mulMod(a % n, i, n) + b) % n;
}

function gcd(x: number, y: number): number {
  while (y) [x, y] = [y, x % y];
  return x;
}

function mulMod(a: number, b: number, m: number): number {
  if (a * b < Number.MAX_SAFE_INTEGER) return (a * b) % m;
  let result = 0;
  let x = a % m;
  let y = b;
  while (y > 0) {
    if (y % 2 === 1) result = (result + x) % m;
    x = (x * 2) % m;
    y = Math.floor(y / 2);
  }
  return result;
}
