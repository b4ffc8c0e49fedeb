import type { ClaimProbe } from '../probe.ts';
import { notMeasurable } from './lib.ts';

/**
 * What this assessment does not measure on one machine, each with why. CP-10's model estimate is
 * built in gateway-cost.ts from measured per-core CPU, never from a rate the load plan capped.
 */
export const beyondOneMachine: ClaimProbe = {
  id: 'beyond-one-machine',
  claimIds: ['NF-8', 'NV-14'],
  description: 'states what this assessment does not measure, and where it is measured instead',
  profiles: ['smoke', 'full'],
  async run() {
    return [
      notMeasurable('NF-8', '10,000 sockets on one instance would take the load generator\'s whole share of 2 cores for minutes; npm run bench:realtime measures it; delivery across instances is CP-1', undefined, 'not run: npm run bench:realtime'),
      notMeasurable('NV-14', 'the 10-minute stage plan and the stress to 500 users belong to a long run (brink run feed --profile load / stress); the 24 h soak at 50 users cannot run inside an assessment', undefined, 'not run: brink run feed --profile load'),
    ];
  },
};
