import { describe, expect, it } from 'vitest';
import { createMetricsRegistry } from '../shared/metrics.ts';
import { createBreaker } from './breakers.ts';
import { breakerStateValue, gatewayMetrics } from './gateway-metrics.ts';

describe("the gateway's metrics", () => {
  it('encodes breaker states as 0 closed, 1 half-open, 2 open', () => {
    expect([breakerStateValue('closed'), breakerStateValue('half-open'), breakerStateValue('open')]).toEqual([0, 1, 2]);
  });

  it('counts under the instance label and sets the breaker gauge from the breakers', async () => {
    const registry = createMetricsRegistry();
    const gm = gatewayMetrics(registry, 'gateway-2');
    gm.upstreamFailure('posts', 'timeout');
    gm.upstreamFailure('posts', 'timeout');
    gm.rateDecision('login', 'rejected');
    gm.limiterRedisError();
    const posts = createBreaker('posts');
    try {
      gm.breakerStates([posts]);
      const text = await registry.metrics();
      expect(text).toContain('brink_gateway_upstream_errors_total{instance="gateway-2",service="posts",kind="timeout"} 2');
      expect(text).toContain('brink_rate_limit_decisions_total{instance="gateway-2",rule="login",outcome="rejected"} 1');
      expect(text).toContain('brink_rate_limit_redis_errors_total{instance="gateway-2"} 1');
      expect(text).toContain('brink_breaker_state{instance="gateway-2",service="posts"} 0');
    } finally {
      posts.shutdown();
    }
  });

  it('shares one set of metrics between two gateways on one registry', async () => {
    const registry = createMetricsRegistry();
    gatewayMetrics(registry, 'gateway-1').upstreamFailure('auth', 'unavailable');
    gatewayMetrics(registry, 'gateway-2').upstreamFailure('auth', 'unavailable');
    const text = await registry.metrics();
    expect(text).toContain('brink_gateway_upstream_errors_total{instance="gateway-1",service="auth",kind="unavailable"} 1');
    expect(text).toContain('brink_gateway_upstream_errors_total{instance="gateway-2",service="auth",kind="unavailable"} 1');
  });
});
