/**
 * db-latency (NF-5): latency with jitter on the services' database hop (the PgBouncer proxy).
 * Calls to the users service pass its deadline; the gateway's breaker opens; while it is open,
 * calls fail in under 5 ms instead of waiting out the timeout; after the toxic is removed it
 * half-opens and closes. The probe reads get_user_posts, which is never cached, so every call
 * reaches the database. Baseline (breakers off) fails the 'during' hypotheses: calls wait.
 */
import { hypothesis } from '../hypothesis.ts';
import { buildToxic } from '../../stack/index.ts';
import { breakerExperiment } from './breaker-experiment.ts';
import { probeUsers, STEADY_P99_MS } from './common.ts';

const LATENCY_MS = 6000;

export const dbLatency = breakerExperiment({
  id: 'db-latency',
  description: `${LATENCY_MS} ms ± 500 ms latency on the PgBouncer proxy: the users breaker opens, fails fast (< 5 ms) while open, and closes after the toxic is removed`,
  claimIds: ['NF-5', 'NV-5'],
  proxies: ['pgbouncer'],
  recipe: [
    `brink chaos inject pgbouncer latency latencyMs=${LATENCY_MS} jitterMs=500`,
    'curl -s -o /dev/null -w "%{http_code} %{time_total}s\\n" -H "authorization: Bearer $TOKEN" $GATEWAY/api/users/1/posts',
    'curl -s $GATEWAY/health/circuit-breakers',
    'brink chaos clear pgbouncer',
  ],
  timing: {
    smoke: { steadyMs: 5_000, methodMs: 25_000, recoverMs: 40_000, afterMs: 5_000 },
    load: { steadyMs: 15_000, methodMs: 30_000, recoverMs: 45_000, afterMs: 10_000 },
  },
  service: 'users',
  probe: async (stack) => {
    const { authorId } = await probeUsers(stack);
    // 12 concurrent probes: at least the breaker's volume threshold (10) of calls fail inside its 10 s window.
    return { path: `/api/users/${authorId}/posts?limit=20`, concurrency: 12, pauseMs: 250, timeoutMs: 40_000, slowMs: 1000 };
  },
  faults: (timing) => [{ id: 'latency', proxy: 'pgbouncer', startMs: 0, stopMs: timing.methodMs - 3_000, action: { kind: 'toxic', toxic: { ...buildToxic('latency', { latencyMs: LATENCY_MS, jitterMs: 500 }), stream: 'downstream', toxicity: 1 } } }],
  hypotheses: [
    hypothesis('get_user_posts answers before the fault', 'before', 'errorRate <= 0.01', `p99Ms < ${STEADY_P99_MS}`),
    hypothesis('the users breaker opens during the fault', 'during', 'breakerOpened == yes'),
    hypothesis('while open, calls fail in under 5 ms (NF-5; the median open-breaker answer)', 'during', 'circuitOpen >= 10', 'circuitOpenP50Ms < 5'),
    hypothesis('after the toxic is removed the breaker closes and calls succeed', 'after', "breakerState == closed", 'errorRate == 0'),
  ],
});
