/**
 * reset-peer: connection resets (TCP RST) on half of the services' connections to PgBouncer. The
 * pools must drop the broken connections and reconnect: calls succeed again afterwards, nothing
 * waits in PgBouncer, no session is left idle in a transaction, and the number of PgBouncer
 * clients does not keep growing (no leaked connections).
 */
import type { ExperimentDescriptor } from '../descriptor.ts';
import { hypothesis, type Measurements } from '../hypothesis.ts';
import { buildToxic } from '../../stack/index.ts';
import { connectionCounts, gatewayProbe, probeUsers, requirePlatform, STEADY_P99_MS } from './common.ts';

export const resetPeer: ExperimentDescriptor = {
  id: 'reset-peer',
  description: 'TCP resets on half the connections to PgBouncer: pools recover, no leaked or stuck connections',
  claimIds: ['NF-1', 'NV-6'],
  proxies: ['pgbouncer'],
  recipe: [
    'brink chaos inject pgbouncer reset_peer timeoutMs=100 --toxicity 0.5',
    'for i in $(seq 20); do curl -s -o /dev/null -w "%{http_code} " -H "authorization: Bearer $TOKEN" $GATEWAY/api/users/1/posts; done; echo',
    'brink chaos clear pgbouncer',
    'psql "$PGBOUNCER_ADMIN" -c "SHOW POOLS"',
  ],
  timing: {
    smoke: { steadyMs: 5_000, methodMs: 10_000, recoverMs: 40_000, afterMs: 5_000 },
    load: { steadyMs: 15_000, methodMs: 30_000, recoverMs: 45_000, afterMs: 10_000 },
  },
  async prepare({ stack, timing }) {
    requirePlatform(stack, 'reset-peer');
    const { authorId } = await probeUsers(stack);
    const { probe, close } = await gatewayProbe(stack, 'reset-peer', { path: `/api/users/${authorId}/posts?limit=20`, concurrency: 4, pauseMs: 50, timeoutMs: 35_000, slowMs: 1000 });
    let before: Measurements = {};
    return {
      probe,
      faults: [{ id: 'reset', proxy: 'pgbouncer', startMs: 0, stopMs: timing.methodMs, action: { kind: 'toxic', toxic: { ...buildToxic('reset_peer', { timeoutMs: 100 }), stream: 'downstream', toxicity: 0.5 } } }],
      hypotheses: [
        hypothesis('get_user_posts answers before the fault', 'before', 'errorRate <= 0.01', `p99Ms < ${STEADY_P99_MS}`),
        hypothesis('with resets every call is still answered (no hang)', 'during', 'noResponse == 0'),
        hypothesis('the pools recover: calls succeed, nothing waits or is stuck in a transaction', 'after', 'errorRate == 0', 'pgbouncerWaiting == 0', 'idleInTransaction == 0'),
        hypothesis('no leaked connections: PgBouncer clients grew by at most 10', 'after', 'pgbouncerClientGrowth <= 10'),
      ],
      async measure(phase) {
        if (phase === 'during') return {};
        const now = await connectionCounts(stack);
        if (phase === 'before') before = now;
        return phase === 'after' ? { ...now, pgbouncerClientGrowth: Number(now.pgbouncerClients) - Number(before.pgbouncerClients ?? 0) } : now;
      },
      stop: close,
    };
  },
};
