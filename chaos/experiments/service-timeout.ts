/**
 * service-timeout (NF-5, NV-5): a timeout toxic on the gateway -> posts hop (proxy svc-posts): no
 * byte gets through. Calls wait out the gateway's deadline until the posts breaker opens; then
 * they fail fast. After the toxic is removed the breaker half-opens and closes. The whole breaker
 * timeline (closed, open, half-open, closed) is recorded.
 */
import { hypothesis } from '../hypothesis.ts';
import { buildToxic } from '../../stack/index.ts';
import { breakerExperiment } from './breaker-experiment.ts';
import { STEADY_P99_MS } from './common.ts';

export const serviceTimeout = breakerExperiment({
  id: 'service-timeout',
  description: 'timeout toxic between gateway and posts (svc-posts): the posts breaker goes closed -> open -> half-open -> closed; open calls fail in < 5 ms',
  claimIds: ['NF-5', 'NV-5'],
  proxies: ['svc-posts'],
  recipe: [
    'brink chaos inject svc-posts timeout timeoutMs=0 --stream upstream',
    'curl -s -w " %{http_code} %{time_total}s\\n" -H "authorization: Bearer $TOKEN" $GATEWAY/api/feed',
    'curl -s $GATEWAY/health/circuit-breakers',
    'brink chaos clear svc-posts',
  ],
  timing: {
    smoke: { steadyMs: 5_000, methodMs: 25_000, recoverMs: 40_000, afterMs: 5_000 },
    load: { steadyMs: 15_000, methodMs: 30_000, recoverMs: 45_000, afterMs: 10_000 },
  },
  service: 'posts',
  probe: () => ({ path: '/api/feed?limit=20', concurrency: 12, pauseMs: 250, timeoutMs: 40_000, slowMs: 1000 }),
  faults: (timing) => [{ id: 'timeout', proxy: 'svc-posts', startMs: 0, stopMs: timing.methodMs, action: { kind: 'toxic', toxic: { ...buildToxic('timeout', { timeoutMs: 0 }), stream: 'upstream', toxicity: 1 } } }],
  hypotheses: [
    hypothesis('the feed answers before the fault', 'before', 'errorRate <= 0.01', `p99Ms < ${STEADY_P99_MS}`),
    hypothesis('the posts breaker opens during the fault', 'during', 'breakerOpened == yes'),
    hypothesis('while open, calls fail in under 5 ms (NF-5; the median open-breaker answer)', 'during', 'circuitOpen >= 10', 'circuitOpenP50Ms < 5'),
    hypothesis('the breaker went closed, open, half-open, closed and calls succeed', 'after', "breakerSequence == 'closed,open,half-open,closed'", 'errorRate == 0'),
  ],
});
