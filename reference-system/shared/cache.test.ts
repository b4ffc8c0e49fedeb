import { describe, expect, it } from 'vitest';
import { l1TtlMsFor, redisTtlS } from './cache.ts';

describe('cache TTLs', () => {
  it('keeps an L1 entry for the L1 TTL, or the key TTL when that is shorter', () => {
    expect(l1TtlMsFor(2_000, 60)).toBe(2_000);
    expect(l1TtlMsFor(2_000, 0.5)).toBe(500);
  });

  it('gives Redis whole seconds, at least 1', () => {
    expect(redisTtlS(30.4)).toBe(30);
    expect(redisTtlS(0.2)).toBe(1);
  });
});
