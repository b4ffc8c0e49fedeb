/**
 * pool-exhaustion (NV-4, NV-5, NV-10; the Nova pool-starvation story): slow queries hold every
 * server connection of the platform's PgBouncer pool (default_pool_size 25), as a runaway
 * analytics query would. Requests queue in PgBouncer; they must time out cleanly (answered, with
 * a reason, within the service deadline) rather than hang, and the pool recovers when the slow
 * queries end.
 */
import pg from 'pg';
import type { ExperimentDescriptor } from '../descriptor.ts';
import { hypothesis } from '../hypothesis.ts';
import { connectionCounts, gatewayProbe, onDatabase, pgbouncerPoolSize, probeUsers, requirePlatform, sql, STEADY_P99_MS } from './common.ts';

const HOG_TAG = 'brink-chaos-pool-hog';

export const poolExhaustion: ExperimentDescriptor = {
  id: 'pool-exhaustion',
  description: "slow queries hold PgBouncer's whole pool (default_pool_size of them): requests time out cleanly within 12 s and the pool recovers",
  claimIds: ['NV-4', 'NV-5', 'NV-10'],
  proxies: [],
  recipe: [
    `for i in $(seq 25); do psql "$PGBOUNCER_URL" -c "SELECT pg_sleep(600) /* ${HOG_TAG} */" & done`,
    'curl -s -w " %{http_code} %{time_total}s\\n" -H "authorization: Bearer $TOKEN" $GATEWAY/api/users/1/posts',
    `psql "$POSTGRES_URL" -c "SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE query LIKE '%${HOG_TAG}%' AND pid <> pg_backend_pid()"`,
  ],
  timing: {
    smoke: { steadyMs: 5_000, methodMs: 15_000, recoverMs: 40_000, afterMs: 5_000 },
    load: { steadyMs: 15_000, methodMs: 30_000, recoverMs: 45_000, afterMs: 10_000 },
  },
  async prepare({ stack, timing }) {
    requirePlatform(stack, 'pool-exhaustion');
    const { authorId } = await probeUsers(stack);
    const { probe, close } = await gatewayProbe(stack, 'pool-exhaustion', { path: `/api/users/${authorId}/posts?limit=20`, concurrency: 4, pauseMs: 50, timeoutMs: 40_000, slowMs: 1000 });
    const poolSize = await pgbouncerPoolSize(stack);
    const hogs: pg.Client[] = [];
    const running: Promise<unknown>[] = [];
    const cancelHogs = async () => {
      await sql(stack, 'SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE query LIKE $1 AND pid <> pg_backend_pid()', [`%${HOG_TAG}%`]);
      await Promise.allSettled(running);
      await Promise.allSettled(hogs.splice(0).map((c) => c.end()));
    };
    return {
      probe,
      faults: [{
        id: 'slow-queries',
        proxy: 'pgbouncer-pool',
        startMs: 0,
        stopMs: timing.methodMs - 3_000,
        action: {
          kind: 'custom',
          label: `${poolSize} x SELECT pg_sleep(600) through PgBouncer (its default_pool_size)`,
          async start() {
            for (let i = 0; i < poolSize; i++) {
              const c = new pg.Client({ connectionString: onDatabase(stack.urls.pgbouncer, stack.database), connectionTimeoutMillis: 5000 });
              hogs.push(c);
              await c.connect();
              running.push(c.query(`SELECT pg_sleep(600) /* ${HOG_TAG} */`).catch(() => undefined));
            }
          },
          stop: cancelHogs,
        },
      }],
      hypotheses: [
        hypothesis('get_user_posts answers before the fault', 'before', 'errorRate <= 0.01', `p99Ms < ${STEADY_P99_MS}`),
        hypothesis('with the pool held, calls time out cleanly: answered, within 12 s, saying why', 'during', 'noResponse == 0', 'maxMs < 12000', 'failedWithReason >= 0.99'),
        hypothesis('the pool recovers: calls succeed and nothing waits in PgBouncer', 'after', 'errorRate == 0', 'pgbouncerWaiting == 0'),
      ],
      measure: async (phase) => (phase === 'during' ? {} : connectionCounts(stack)),
      // Belt and braces: the hogs never outlive the experiment, even if the method was cut short.
      stop: async () => {
        await cancelHogs().catch(() => undefined);
        await close();
      },
    };
  },
};
