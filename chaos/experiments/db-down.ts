/**
 * db-down: the PgBouncer proxy disabled (every connection refused or cut). The platform must
 * answer 503 with a reason, fast, never hang; recovery time after the proxy is back is measured.
 */
import { hypothesis } from '../hypothesis.ts';
import { breakerExperiment } from './breaker-experiment.ts';
import { probeUsers, STEADY_P99_MS } from './common.ts';

export const dbDown = breakerExperiment({
  id: 'db-down',
  description: 'the database hop (PgBouncer proxy) disabled: 503s with a reason, no hang; time to recover measured',
  claimIds: ['LC-4', 'NF-5'],
  proxies: ['pgbouncer'],
  recipe: [
    'brink chaos inject pgbouncer down',
    'curl -s -w " %{http_code} %{time_total}s\\n" -H "authorization: Bearer $TOKEN" $GATEWAY/api/users/1/posts',
    'brink chaos clear pgbouncer',
  ],
  timing: {
    smoke: { steadyMs: 5_000, methodMs: 10_000, recoverMs: 40_000, afterMs: 5_000 },
    load: { steadyMs: 15_000, methodMs: 30_000, recoverMs: 45_000, afterMs: 10_000 },
  },
  service: 'users',
  probe: async (stack) => {
    const { authorId } = await probeUsers(stack);
    return { path: `/api/users/${authorId}/posts?limit=20`, concurrency: 4, pauseMs: 50, timeoutMs: 35_000, slowMs: 1000 };
  },
  faults: (timing) => [{ id: 'down', proxy: 'pgbouncer', startMs: 0, stopMs: timing.methodMs, action: { kind: 'disable' } }],
  hypotheses: [
    hypothesis('get_user_posts answers before the fault', 'before', 'errorRate <= 0.01', `p99Ms < ${STEADY_P99_MS}`),
    hypothesis('with the database down every call is answered (no hang), within 3 s', 'during', 'noResponse == 0', 'p99Ms < 3000'),
    hypothesis('the failures are 503s that say why', 'during', 'status503 >= 1', 'failedWithReason >= 0.99'),
    hypothesis('calls succeed again after the database is back', 'after', 'errorRate == 0'),
  ],
});
