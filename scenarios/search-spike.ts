/**
 * search-spike: full-text post search and user search over mixed selective and broad terms, up to
 * 50 concurrent searches in the spike profile (NV-12). No think time: each VU is one search in
 * flight. k6: k6/search-spike.js. Plans: PLANS['search-spike'] in k6/lib/plans.js.
 */
import { searchRequest } from './k6/lib/mix.js';
import { HTTP_METRICS } from './thresholds.ts';
import type { ScenarioDescriptor } from './types.ts';
import type { VuContext } from './engine/vu-context.ts';

async function iteration(vu: VuContext): Promise<void> {
  const user = vu.data.users[(vu.vu - 1) % vu.data.users.length]!;
  const s = searchRequest(vu.data, Math.random(), Math.random(), Math.random());
  await vu.get(s.path, { token: user.token, name: s.name, tags: { kind: 'search', selectivity: s.selectivity } });
}

export const searchSpike: ScenarioDescriptor = {
  id: 'search-spike',
  description: 'a spike to 50 concurrent searches over selective and broad terms (NV-12)',
  k6Script: 'search-spike.js',
  planKey: 'search-spike',
  metrics: HTTP_METRICS,
  node: { iteration },
};
