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

describe('what the breaker counts (issue 18: NewFeed window = timeout)', () => {
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

  it('counting calls as they complete (switch breaker-window), the same twelve calls open it', async () => {
    expect(await hangTwelve(true)).toBe('open');
  });

  /**
   * db-latency's shape: 5 s of fast successes (40/s), then every call fails at its 10 s deadline
   * (12 callers, a 250 ms pause between calls) for 22 s. Returns when the breaker opened, in ms
   * after the fault began, or undefined if it stayed closed.
   */
  async function partialFault(longWindow: boolean): Promise<number | undefined> {
    vi.useFakeTimers();
    const b = createBreaker('users', undefined, { longWindow: () => longWindow });
    let openedAt: number | undefined;
    try {
      for (let i = 0; i < 200; i++) {
        await b.fire(async () => 'ok');
        await vi.advanceTimersByTimeAsync(25);
      }
      const faultAt = Date.now();
      const failing = () => new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no response within 10000 ms')), 10_000));
      const worker = async () => {
        while (Date.now() - faultAt < 22_000) {
          await b.fire(failing).catch(() => undefined);
          const s = b.state();
          // retryAt is the moment it opened plus the 30 s reset.
          if (openedAt === undefined && s.state === 'open') openedAt = Date.parse(s.retryAt!) - 30_000 - faultAt;
          await new Promise((r) => setTimeout(r, 250));
        }
      };
      const workers = Array.from({ length: 12 }, worker);
      await vi.advanceTimersByTimeAsync(33_000);
      await Promise.all(workers);
      return openedAt;
    } finally {
      b.shutdown();
      vi.useRealTimers();
    }
  }

  it('after a steady phase of fast successes, a fault that fails every call opens it one deadline in', async () => {
    const openedAfterMs = await partialFault(true);
    expect(openedAfterMs).toBeGreaterThanOrEqual(10_000); // the first failures come one deadline in
    expect(openedAfterMs).toBeLessThanOrEqual(11_000); // and the steady phase's successes are gone by then
  });

  it('a successful trial call closes it and clears the window; a failed one reopens it', async () => {
    vi.useFakeTimers();
    const b = createBreaker('posts', undefined, { longWindow: () => true });
    try {
      const fail = async () => {
        throw new Error('upstream answered 503');
      };
      for (let i = 0; i < 10; i++) await b.fire(fail).catch(() => undefined);
      expect(b.state()).toMatchObject({ state: 'open', counting: 'completions', window: { completed: 10, failed: 10 } });
      await vi.advanceTimersByTimeAsync(30_001);
      expect(b.state().state).toBe('half-open');
      await b.fire(fail).catch(() => undefined);
      expect(b.state().state).toBe('open');
      await vi.advanceTimersByTimeAsync(30_001);
      await b.fire(async () => 'ok');
      expect(b.state()).toMatchObject({ state: 'closed', window: { completed: 1, failed: 0 } });
      // Eight failures after the close: nine completions, under the volume threshold, still closed.
      for (let i = 0; i < 8; i++) await b.fire(fail).catch(() => undefined);
      expect(b.state().state).toBe('closed');
    } finally {
      b.shutdown();
      vi.useRealTimers();
    }
  });

  it('reports which window is in use', () => {
    const long = createBreaker('posts', undefined, { longWindow: () => true });
    const short = createBreaker('posts');
    try {
      expect(long.state()).toMatchObject({ rollingWindowMs: 10_000, counting: 'completions' });
      expect(short.state()).toMatchObject({ rollingWindowMs: 10_000, counting: 'fires' });
    } finally {
      long.shutdown();
      short.shutdown();
    }
  });
});
