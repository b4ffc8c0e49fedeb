import { describe, expect, it, vi } from 'vitest';
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

describe('the rolling window (issue 18: NewFeed window = timeout)', () => {
  /** Twelve calls that each fail when their 10 s deadline passes, as a hanging service does. */
  async function hangTwelve(longWindow: boolean): Promise<string> {
    vi.useFakeTimers();
    const b = createBreaker('posts', undefined, { longWindow: () => longWindow });
    try {
      const hanging = () => new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no response within 10000 ms')), 10_000));
      const calls = Array.from({ length: 12 }, () => b.fire(hanging).catch(() => undefined));
      await vi.advanceTimersByTimeAsync(10_001);
      await Promise.all(calls);
      return b.state().state;
    } finally {
      b.shutdown();
      vi.useRealTimers();
    }
  }

  it('with the document\'s 10 s window, twelve timed-out calls leave the breaker closed', async () => {
    expect(await hangTwelve(false)).toBe('closed');
  });

  it('with a window of three timeouts, the same twelve calls open it', async () => {
    expect(await hangTwelve(true)).toBe('open');
  });

  it('reports which window is in use', () => {
    const long = createBreaker('posts', undefined, { longWindow: () => true });
    const short = createBreaker('posts');
    try {
      expect(long.state().rollingWindowMs).toBe(30_000);
      expect(short.state().rollingWindowMs).toBe(10_000);
    } finally {
      long.shutdown();
      short.shutdown();
    }
  });
});
