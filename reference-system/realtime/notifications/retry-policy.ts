/**
 * What to do with a notification whose handling failed, as a pure decision: park it in the retry
 * queue for its step with an exponential delay, or dead-letter it once it has had its tries.
 */
export const ATTEMPT_HEADER = 'x-brink-attempt';

export type FailureAction = { kind: 'retry'; nextAttempt: number; retryQueueIndex: number; delayMs: number } | { kind: 'dead-letter'; attempts: number };

/** Backoff: base, 4x base, 16x base... (exponential, factor 4). */
export function retryDelayMs(baseDelayMs: number, failedAttempt: number): number {
  return baseDelayMs * 4 ** Math.max(0, failedAttempt - 1);
}

export function onFailure(failedAttempt: number, maxAttempts: number, baseDelayMs: number): FailureAction {
  if (failedAttempt >= maxAttempts) return { kind: 'dead-letter', attempts: failedAttempt };
  return { kind: 'retry', nextAttempt: failedAttempt + 1, retryQueueIndex: failedAttempt - 1, delayMs: retryDelayMs(baseDelayMs, failedAttempt) };
}

/** The try number a delivery carries (1 when the header is absent or garbage). */
export function attemptOf(headers: Record<string, unknown> | undefined): number {
  const v = Number(headers?.[ATTEMPT_HEADER]);
  return Number.isSafeInteger(v) && v >= 1 ? v : 1;
}
