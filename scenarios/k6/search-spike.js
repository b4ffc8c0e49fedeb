// search-spike: full-text post search and user search over mixed selective (70%) and broad (30%)
// terms from the seeded dataset, no think time: each VU is one search in flight.
//
// Load shape: -e PROFILE=smoke|load|stress|spike|soak (lib/plans.js). `spike` is NV-12: background
// searching at 5, a jump to 50 concurrent searches held for a minute, then back to 5.
// Thresholds: NV-13, search p(99) < 1 s and errors < 0.1%; 429s counted apart.
//
//   k6 run scenarios/k6/search-spike.js -e BRINK_DATA=.brink/runs/<run>/setup-data.json -e PROFILE=spike
import http from 'k6/http';
import { check } from 'k6';
import { Counter } from 'k6/metrics';
import { authParams, loadData, loadPlan, summaryOutputs, SUMMARY_TREND_STATS, thresholdsFor } from './lib/brink.js';
import { searchRequest, warmupRequests } from './lib/mix.js';

const data = loadData();
const plan = loadPlan('search-spike');

// Self-provoked 429s: the platform's rate limits stay on, as in production.
const rateLimited = new Counter('rate_limited');

http.setResponseCallback(http.expectedStatuses({ min: 200, max: 399 }, 429));

export const options = {
  scenarios: { search: plan.scenario },
  thresholds: thresholdsFor(plan),
  summaryTrendStats: SUMMARY_TREND_STATS,
};

// Warm-up before the load: caches, pools and JIT. k6 tags these group ::setup and brink leaves
// them out of endpoints; thresholds filter on request names, which warm-up requests do not share.
export function setup() {
  for (const w of warmupRequests('search-spike', data)) http.get(`${data.baseUrl}${w.path}`, authParams(w.token, { name: 'warmup' }));
}

export default function () {
  const user = data.users[(__VU - 1) % data.users.length];
  const s = searchRequest(data, Math.random(), Math.random(), Math.random());
  const res = http.get(`${data.baseUrl}${s.path}`, authParams(user.token, { name: s.name, kind: 'search', selectivity: s.selectivity }));
  if (res.status === 429) rateLimited.add(1, { name: s.name });
  check(res, { 'status is 2xx or 429': (r) => (r.status >= 200 && r.status < 300) || r.status === 429 });
}

export function handleSummary(summary) {
  return summaryOutputs(summary);
}
