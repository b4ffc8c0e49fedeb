import { describe, expect, it } from 'vitest';
import { owns, parseSegment, shareOf, stripeOf, subStripe, vusOf } from './stripe.ts';

describe('segments i/N as stripes', () => {
  it('parses i/N and refuses anything else with the value named', () => {
    expect(parseSegment('2/4')).toEqual({ index: 2, count: 4 });
    for (const bad of ['0/4', '5/4', '1/0', 'a/b', '1', '2/4/1']) expect(() => parseSegment(bad)).toThrow(`--segment "${bad}" is not i/N with 1 <= i <= N <= 10000, e.g. 2/4`);
  });

  it('N segments share every VU count exactly, each within one VU of 1/N', () => {
    for (const n of [1, 2, 3, 7]) {
      for (let vus = 0; vus <= 50; vus++) {
        const shares = Array.from({ length: n }, (_, i) => shareOf(stripeOf({ index: i + 1, count: n }), vus));
        expect(shares.reduce((a, b) => a + b, 0)).toBe(vus);
        expect(Math.max(...shares) - Math.min(...shares)).toBeLessThanOrEqual(1);
        shares.forEach((s, i) => expect(vusOf(stripeOf({ index: i + 1, count: n }), vus)).toHaveLength(s));
      }
    }
  });

  it('every arrival belongs to exactly one segment', () => {
    const stripes = [1, 2, 3].map((index) => stripeOf({ index, count: 3 }));
    for (let u = 0; u < 100; u++) expect(stripes.filter((s) => owns(s, u))).toHaveLength(1);
  });

  it('a stripe split among W workers is the stripe, unit for unit', () => {
    const seg = stripeOf({ index: 2, count: 3 });
    const parts = [1, 2].map((j) => subStripe(seg, j, 2));
    for (let u = 0; u < 120; u++) expect(parts.filter((p) => owns(p, u)).length).toBe(owns(seg, u) ? 1 : 0);
  });
});
