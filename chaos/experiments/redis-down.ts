/**
 * redis-down (LC-1): the Redis proxy disabled while the home feed is read. The cache falls back to
 * Postgres (fail-open) and the rate limiter does what it is configured to do; the error rate and
 * latency during the outage are measured, and self-provoked 429s are counted apart.
 */
import type { ExperimentDescriptor } from '../descriptor.ts';
import { hypothesis } from '../hypothesis.ts';
import { gatewayProbe, requirePlatform, STEADY_P99_MS } from './common.ts';

export const redisDown: ExperimentDescriptor = {
  id: 'redis-down',
  description: 'Redis proxy disabled while the home feed is read: the cache falls back to Postgres; error rate and latency during the outage measured',
  claimIds: ['LC-1', 'NF-6'],
  proxies: ['redis'],
  recipe: [
    'brink chaos inject redis down',
    'curl -s -w " %{http_code} %{time_total}s\\n" -H "authorization: Bearer $TOKEN" $GATEWAY/api/feed',
    'brink chaos clear redis',
  ],
  timing: {
    smoke: { steadyMs: 5_000, methodMs: 10_000, recoverMs: 10_000, afterMs: 5_000 },
    load: { steadyMs: 15_000, methodMs: 30_000, recoverMs: 20_000, afterMs: 10_000 },
  },
  async prepare({ stack, timing }) {
    requirePlatform(stack, 'redis-down');
    const { probe, close } = await gatewayProbe(stack, 'redis-down', { path: '/api/feed?limit=20', concurrency: 4, pauseMs: 50, timeoutMs: 35_000, slowMs: 1000 });
    return {
      probe,
      faults: [{ id: 'down', proxy: 'redis', startMs: 0, stopMs: timing.methodMs, action: { kind: 'disable' } }],
      hypotheses: [
        hypothesis('the feed answers before the fault', 'before', 'errorRate <= 0.01', `p99Ms < ${STEADY_P99_MS}`),
        hypothesis('without Redis the feed still answers (graceful fallback, LC-1)', 'during', 'errorRate <= 0.01', 'p99Ms < 2000'),
        hypothesis('the feed answers normally once Redis is back', 'after', 'errorRate == 0', `p99Ms < ${STEADY_P99_MS}`),
      ],
      measure: (_phase, _w, _slis, samples) => ({ rateLimited: samples.filter((s) => s.status === 429).length }),
      stop: close,
    };
  },
};
