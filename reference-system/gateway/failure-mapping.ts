/**
 * A forward that got no answer becomes the caller's error: an open breaker is 503 CIRCUIT_OPEN with
 * the time until its trial call, a missed deadline 504 TIMEOUT, anything else (refused, reset) 503
 * DEPENDENCY_UNAVAILABLE. Pure: the breaker's state and the clock are inputs; the caller counts the
 * kind in brink_gateway_upstream_errors_total.
 * (A 5xx answer is not a failure here: the gateway relays it as it came.)
 */
import { ApiError } from '../shared/api-errors.ts';
import { isOpenBreakerError, type DownstreamBreaker } from './breakers.ts';
import { DeadlineError } from './proxy.ts';

export type UpstreamFailureKind = 'circuit_open' | 'timeout' | 'unavailable';

export interface UpstreamFailure {
  kind: UpstreamFailureKind;
  error: ApiError;
}

export function mapUpstreamFailure(service: string, e: unknown, breaker: Pick<DownstreamBreaker, 'config' | 'state'>, nowMs = Date.now()): UpstreamFailure {
  if (isOpenBreakerError(e)) {
    const st = breaker.state();
    const retryAfterS = st.retryAt ? Math.max(1, Math.ceil((Date.parse(st.retryAt) - nowMs) / 1000)) : breaker.config.resetTimeoutMs / 1000;
    const error = new ApiError('CIRCUIT_OPEN', `circuit breaker for ${service} is open (last failure: ${st.lastFailure ?? 'unknown'}); retry in ${retryAfterS} s`, service, retryAfterS);
    return { kind: 'circuit_open', error };
  }
  if (e instanceof DeadlineError || (e as { code?: string }).code === 'ETIMEDOUT') {
    const timeoutMs = e instanceof DeadlineError ? e.timeoutMs : breaker.config.timeoutMs;
    return { kind: 'timeout', error: new ApiError('TIMEOUT', `${service} did not answer within ${timeoutMs} ms`, service) };
  }
  const err = e as { code?: string; message?: string };
  const message = `${service} is unavailable: ${err.code ?? ''} ${err.message ?? ''}`.replace(/\s+/g, ' ').trim();
  return { kind: 'unavailable', error: new ApiError('DEPENDENCY_UNAVAILABLE', message, service, 5) };
}
