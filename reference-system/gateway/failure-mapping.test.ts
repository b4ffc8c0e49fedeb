import { describe, expect, it } from 'vitest';
import { BREAKER_CONFIGS, type BreakerState } from './breakers.ts';
import { mapUpstreamFailure } from './failure-mapping.ts';
import { DeadlineError } from './proxy.ts';

const config = BREAKER_CONFIGS.posts!;
const NOW = Date.parse('2026-01-01T12:00:00.000Z');

function breaker(state: Partial<BreakerState> = {}) {
  return {
    config,
    state: (): BreakerState => ({
      service: 'posts',
      state: 'closed',
      config,
      rollingWindowMs: 10_000,
      counting: 'fires',
      stats: { fires: 10, failures: 10, successes: 0, rejects: 0, timeouts: 0 },
      ...state,
    }),
  };
}

const openBreakerError = () => Object.assign(new Error('Breaker is open'), { code: 'EOPENBREAKER' });

describe('mapping a forward that got no answer', () => {
  it('answers an open breaker with 503 CIRCUIT_OPEN and the whole seconds until its trial call', () => {
    const f = mapUpstreamFailure('posts', openBreakerError(), breaker({ state: 'open', retryAt: '2026-01-01T12:00:02.500Z', lastFailure: 'upstream answered 503' }), NOW);
    expect(f.kind).toBe('circuit_open');
    expect(f.error.status).toBe(503);
    expect(f.error.retryAfterS).toBe(3);
    expect(f.error.toBody()).toEqual({
      error: { code: 'CIRCUIT_OPEN', message: 'circuit breaker for posts is open (last failure: upstream answered 503); retry in 3 s', field: 'posts' },
    });
  });

  it('never tells a caller to retry in less than a second, and falls back to the reset timeout without a retry time', () => {
    const late = mapUpstreamFailure('posts', openBreakerError(), breaker({ state: 'open', retryAt: '2026-01-01T11:59:59.000Z' }), NOW);
    expect(late.error.retryAfterS).toBe(1);
    expect(late.error.message).toBe('circuit breaker for posts is open (last failure: unknown); retry in 1 s');
    const unknown = mapUpstreamFailure('posts', openBreakerError(), breaker({ state: 'open' }), NOW);
    expect(unknown.error.retryAfterS).toBe(30);
  });

  it('answers a missed deadline with 504 TIMEOUT naming the deadline', () => {
    const f = mapUpstreamFailure('auth', new DeadlineError(5_000), breaker(), NOW);
    expect(f.kind).toBe('timeout');
    expect(f.error.status).toBe(504);
    expect(f.error.toBody()).toEqual({ error: { code: 'TIMEOUT', message: 'auth did not answer within 5000 ms', field: 'auth' } });
    expect(f.error.retryAfterS).toBeUndefined();
  });

  it("takes the breaker's timeout for a socket timeout, which carries none", () => {
    const f = mapUpstreamFailure('posts', Object.assign(new Error('connect timed out'), { code: 'ETIMEDOUT' }), breaker(), NOW);
    expect(f.kind).toBe('timeout');
    expect(f.error.message).toBe('posts did not answer within 10000 ms');
  });

  it('answers anything else with 503 DEPENDENCY_UNAVAILABLE, the error code and message, retry in 5 s', () => {
    const refused = mapUpstreamFailure('comments', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4003'), { code: 'ECONNREFUSED' }), breaker(), NOW);
    expect(refused.kind).toBe('unavailable');
    expect(refused.error.status).toBe(503);
    expect(refused.error.retryAfterS).toBe(5);
    expect(refused.error.toBody()).toEqual({ error: { code: 'DEPENDENCY_UNAVAILABLE', message: 'comments is unavailable: ECONNREFUSED connect ECONNREFUSED 127.0.0.1:4003', field: 'comments' } });
    // No code: no double space, no trailing space.
    expect(mapUpstreamFailure('users', new Error('socket hang up'), breaker(), NOW).error.message).toBe('users is unavailable: socket hang up');
  });
});
