import { describe, expect, it } from 'vitest';
import { SCALES, parseScale, totalMessages, totalPosts } from './scales.ts';

describe('scales', () => {
  it('rejects an unknown scale naming the valid ones', () => {
    expect(() => parseScale('huge')).toThrow('unknown scale "huge"; expected one of: small, medium, large');
  });

  it('sizes small for CI, medium at >= 1M posts, large at ~10M', () => {
    expect(totalPosts(SCALES.small)).toBe(150_000);
    expect(totalPosts(SCALES.medium)).toBeGreaterThanOrEqual(1_000_000);
    expect(totalPosts(SCALES.large)).toBe(10_000_000);
    for (const s of Object.values(SCALES)) expect(s.heavyUserPosts).toEqual([100_000, 10_000]);
  });

  it('has a 10,000-message conversation everywhere and a 100,000-message one from medium up', () => {
    expect(SCALES.small.heavyConversationMessages).toEqual([10_000]);
    expect(SCALES.medium.heavyConversationMessages).toEqual([100_000, 10_000]);
    expect(totalMessages(SCALES.small)).toBe(20_000);
  });
});
