// feed: seeded users (tokens minted by brink before the load, never through the rate-limited
// login) read their home feed, profiles - one in five a heavy user with 10k/100k posts (NV-1) -
// and comments, and write posts and comments, with 1-3 s of think time.
//
// Load shape: -e PROFILE=smoke|load|stress|spike|soak (lib/plans.js). `load` is the Nova audit's
// NV-14 plan: 2m -> 10, 5m -> 100, 2m -> 200, 1m -> 0 users. Thresholds: NV-13, feed p(99) < 500 ms
// and errors < 0.1%; 429s from the platform's own rate limits are counted apart, not as failures.
//
//   k6 run scenarios/k6/feed.js -e BRINK_DATA=.brink/runs/<run>/setup-data.json -e PROFILE=smoke
import http from 'k6/http';
import { check, sleep } from 'k6';
import { Counter } from 'k6/metrics';
import { authParams, loadData, loadPlan, summaryOutputs, SUMMARY_TREND_STATS, thresholdsFor } from './lib/brink.js';
import { feedAction, nextCursorOf, postIdsOf, profileTarget, warmupRequests } from './lib/mix.js';

const data = loadData();
const plan = loadPlan('feed');

// Self-provoked 429s: the platform's rate limits stay on, as in production.
const rateLimited = new Counter('rate_limited');

// A 429 is an expected answer, so http_req_failed counts only real failures.
http.setResponseCallback(http.expectedStatuses({ min: 200, max: 399 }, 429));

export const options = {
  scenarios: { feed: plan.scenario },
  thresholds: thresholdsFor(plan),
  summaryTrendStats: SUMMARY_TREND_STATS,
};

// VU-local memory, like a user's screen: posts seen in the feed and the next page's cursor.
let seen = [];
let cursor;

// Warm-up before the load: caches, pools and JIT. k6 tags these group ::setup and brink leaves
// them out of endpoints; thresholds filter on request names, which warm-up requests do not share.
export function setup() {
  for (const w of warmupRequests('feed', data)) http.get(`${data.baseUrl}${w.path}`, authParams(w.token, { name: 'warmup' }));
}

export default function () {
  const user = data.users[(__VU - 1) % data.users.length];
  let action = feedAction(Math.random());
  if ((action === 'list_comments' || action === 'create_comment') && seen.length === 0) action = 'feed';
  let res;
  if (action === 'feed') {
    const page2 = cursor !== undefined && Math.random() < 0.25;
    res = http.get(`${data.baseUrl}/api/feed?limit=20${page2 ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, authParams(user.token, { name: 'feed' }));
    const body = res.status === 200 ? res.json() : undefined;
    const ids = postIdsOf(body);
    if (ids.length > 0) seen = ids;
    cursor = nextCursorOf(body);
  } else if (action === 'get_user_posts') {
    const t = profileTarget(data, Math.random(), Math.random());
    res = http.get(`${data.baseUrl}/api/users/${t.id}/posts?limit=20`, authParams(user.token, { name: 'get_user_posts', heavy: String(t.heavy) }));
  } else if (action === 'list_comments') {
    const id = seen[Math.floor(Math.random() * seen.length)];
    res = http.get(`${data.baseUrl}/api/posts/${id}/comments?limit=20`, authParams(user.token, { name: 'list_comments' }));
  } else if (action === 'create_post') {
    const body = JSON.stringify({ body: `brink feed post by vu${__VU} at ${Date.now()}` });
    res = http.post(`${data.baseUrl}/api/posts`, body, authParams(user.token, { name: 'create_post' }));
  } else {
    const id = seen[Math.floor(Math.random() * seen.length)];
    const body = JSON.stringify({ body: `brink comment by vu${__VU}` });
    res = http.post(`${data.baseUrl}/api/posts/${id}/comments`, body, authParams(user.token, { name: 'create_comment' }));
  }
  if (res.status === 429) rateLimited.add(1, { name: action });
  check(res, { 'status is 2xx or 429': (r) => (r.status >= 200 && r.status < 300) || r.status === 429 });
  // Think time in closed models only; an arrival-rate plan paces itself.
  if (!plan.scenario.executor.endsWith('arrival-rate')) sleep(1 + Math.random() * 2);
}

export function handleSummary(summary) {
  return summaryOutputs(summary);
}
