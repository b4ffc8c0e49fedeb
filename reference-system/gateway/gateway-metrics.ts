/**
 * The gateway's own Prometheus metrics, labelled with its instance: rate limit decisions, the
 * rate limiter's Redis errors, forwarding failures by kind, and each breaker's state (set from the
 * breakers just before a scrape, so /metrics never shows a stale state).
 */
import type { RequestHandler } from 'express';
import type { Registry } from 'prom-client';
import { refreshPoolGauges } from '../shared/db.ts';
import { counter, gauge } from '../shared/metrics.ts';
import type { BreakerState, DownstreamBreaker } from './breakers.ts';
import type { UpstreamFailureKind } from './failure-mapping.ts';
import type { RateDecision } from './rate-limit.ts';

export interface GatewayMetrics {
  rateDecision(rule: string, outcome: RateDecision['source'] | 'rejected'): void;
  limiterRedisError(): void;
  upstreamFailure(service: string, kind: UpstreamFailureKind): void;
  breakerStates(breakers: Iterable<DownstreamBreaker>): void;
}

export function gatewayMetrics(registry: Registry, instance: string): GatewayMetrics {
  const decisions = counter(registry, { name: 'brink_rate_limit_decisions_total', help: 'Rate limit decisions by rule and outcome', labelNames: ['instance', 'rule', 'outcome'] });
  const limiterErrors = counter(registry, { name: 'brink_rate_limit_redis_errors_total', help: 'Rate limit checks Redis could not answer (fail open or closed)', labelNames: ['instance'] });
  const breakerGauge = gauge(registry, { name: 'brink_breaker_state', help: 'Circuit breaker state per downstream: 0 closed, 1 half-open, 2 open', labelNames: ['instance', 'service'] });
  const upstreamErrors = counter(registry, { name: 'brink_gateway_upstream_errors_total', help: 'Forwarding failures by downstream and kind', labelNames: ['instance', 'service', 'kind'] });
  return {
    rateDecision: (rule, outcome) => decisions.inc({ instance, rule, outcome }),
    limiterRedisError: () => limiterErrors.inc({ instance }),
    upstreamFailure: (service, kind) => upstreamErrors.inc({ instance, service, kind }),
    breakerStates(breakers) {
      for (const b of breakers) breakerGauge.set({ instance, service: b.service }, breakerStateValue(b.state().state));
    },
  };
}

/** The gauge's encoding of a breaker state. */
export function breakerStateValue(state: BreakerState['state']): 0 | 1 | 2 {
  return state === 'open' ? 2 : state === 'half-open' ? 1 : 0;
}

/** GET /metrics: the registry's text, after the pool and breaker gauges are brought up to date. */
export function metricsHandler(registry: Registry, breakers: Record<string, DownstreamBreaker>, gm: GatewayMetrics): RequestHandler {
  return async (_req, res, next) => {
    try {
      refreshPoolGauges();
      gm.breakerStates(Object.values(breakers));
      res.type(registry.contentType).send(await registry.metrics());
    } catch (e) {
      next(e);
    }
  };
}
