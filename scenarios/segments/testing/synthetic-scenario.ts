/**
 * A scenario without a network for engine tests: each iteration records one request-like sample
 * whose latency is fixed by its VU number (VU v: v ms), so the same plan gives the same multiset
 * of samples however it is split among segments or worker threads.
 */
import type { ScenarioDescriptor } from '../../types.ts';

export const syntheticScenario: ScenarioDescriptor = {
  id: 'synthetic',
  description: 'one sample of VU-number milliseconds per iteration, no network',
  k6Script: '',
  planKey: '',
  metrics: [],
  node: {
    iteration: async (vu) => {
      vu.sample('http_req_duration', vu.vu, { name: vu.vu % 2 === 0 ? 'even' : 'odd', status: '200', expected_response: 'true' });
      vu.sample('http_reqs', 1, { name: 'x' });
    },
  },
};
