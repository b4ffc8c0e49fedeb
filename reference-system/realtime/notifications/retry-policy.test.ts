import { describe, expect, it } from 'vitest';
import { ATTEMPT_HEADER, attemptOf, onFailure, retryDelayMs } from './retry-policy.ts';

describe('notification retry policy', () => {
  it('backs off exponentially: base, 4x, 16x', () => {
    expect([1, 2, 3].map((a) => retryDelayMs(1_000, a))).toEqual([1_000, 4_000, 16_000]);
  });

  it('retries the first and second failed tries into retry queues 0 and 1', () => {
    expect(onFailure(1, 3, 100)).toEqual({ kind: 'retry', nextAttempt: 2, retryQueueIndex: 0, delayMs: 100 });
    expect(onFailure(2, 3, 100)).toEqual({ kind: 'retry', nextAttempt: 3, retryQueueIndex: 1, delayMs: 400 });
  });

  it('dead-letters after the third try', () => {
    expect(onFailure(3, 3, 100)).toEqual({ kind: 'dead-letter', attempts: 3 });
  });

  it('reads the try number from the header, 1 when missing or garbage', () => {
    expect(attemptOf({ [ATTEMPT_HEADER]: 2 })).toBe(2);
    expect(attemptOf(undefined)).toBe(1);
    expect(attemptOf({ [ATTEMPT_HEADER]: 'x' })).toBe(1);
  });
});
