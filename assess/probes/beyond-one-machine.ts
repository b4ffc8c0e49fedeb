import type { ClaimProbe } from '../probe.ts';
import { notMeasurable } from './lib.ts';
import { safeThroughput } from './run-metrics.ts';

/**
 * Claims about scales one 2-core machine cannot reach. Each says why, and where the runs give a
 * per-instance figure, the linear model's estimate (an upper bound: shared Postgres does not scale out).
 */
export const beyondOneMachine: ClaimProbe = {
  id: 'beyond-one-machine',
  claimIds: ['NF-7', 'NF-8', 'NF-14', 'MO-3', 'CP-10', 'NV-14'],
  description: 'states what cannot be measured on one machine, with a model estimate from this run where possible',
  profiles: ['smoke', 'full'],
  async run(ctx) {
    const safe = safeThroughput(ctx.runs['feed-optimized'], 500);
    const model = (instances: number) => (safe ? `${safe.toFixed(0)} req/s per instance measured at P99 < 500 ms; x${instances} instances = ~${(safe * instances).toFixed(0)} req/s if Postgres keeps up` : undefined);
    return [
      notMeasurable('NF-7', 'the load generator and the gateway share 2 cores here, so 10,000 req/s is out of reach whatever the gateway does; npm run bench:platform reports what one instance does', model(1)),
      notMeasurable('NF-8', '10,000 sockets per instance is measured by npm run bench:realtime, not in the assessment; cross-instance delivery is CP-1'),
      notMeasurable('NF-14', '5,000 concurrent users need several load-generator machines (k6 operator: docs/distributed.md)', model(4)),
      notMeasurable('MO-3', '1,000 concurrent users with think time need more load-generator CPU than one shared 2-core machine', model(1)),
      notMeasurable('CP-10', '1,000,000+ users and 50,000+ req/s need horizontal scaling over many machines', model(25)),
      notMeasurable('NV-14', 'the full plan takes 10 minutes and the soak 24 hours; run brink run feed --profile load (or soak) for it', undefined, 'brink run feed --profile load'),
    ];
  },
};
