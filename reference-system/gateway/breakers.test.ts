import { describe, expect, it } from 'vitest';
import { BREAKER_CONFIGS, createBreaker, isOpenBreakerError } from './breakers.ts';

describe('a downstream circuit breaker', () => {
  it('has NewFeed\'s configurations', () => {
    expect(BREAKER_CONFIGS.auth).toEqual({ timeoutMs: 5_000, errorThresholdPercentage: 50, resetTimeoutMs: 20_000, volumeThreshold: 10 });
    expect(BREAKER_CONFIGS.posts).toEqual({ timeoutMs: 10_000, errorThresholdPercentage: 50, resetTimeoutMs: 30_000, volumeThreshold: 10 });
    expect(BREAKER_CONFIGS.comments).toEqual(BREAKER_CONFIGS.posts);
  });

  it('stays closed below the volume threshold, opens at it, then rejects without calling', async () => {
    const b = createBreaker('posts');
    try {
      let calls = 0;
      const failing = async () => {
        calls++;
        throw new Error('ECONNREFUSED');
      };
      for (let i = 0; i < 9; i++) await expect(b.fire(failing)).rejects.toThrow('ECONNREFUSED');
      expect(b.state().state).toBe('closed');
      await expect(b.fire(failing)).rejects.toThrow('ECONNREFUSED');
      expect(b.state()).toMatchObject({ state: 'open', lastFailure: 'ECONNREFUSED', stats: { failures: 10 } });
      const rejected = await b.fire(failing).catch((e: unknown) => e);
      expect(isOpenBreakerError(rejected)).toBe(true);
      expect(calls).toBe(10);
      expect(Date.parse(b.state().retryAt!)).toBeGreaterThan(Date.now());
    } finally {
      b.shutdown();
    }
  });
});
