// Load plans of every scenario, one per profile, in k6's own scenario syntax. The k6 scripts and
// brink's Node engine both read this file, so the two engines run the very same stages.
// Plain ES module with no k6 imports: stock k6 and Node can both load it.
//
// Profiles: smoke (seconds, for CI), load (the expected peak), stress (past it), spike (a sudden
// jump), soak (long and steady). Closed models (ramping-vus: users with think time) where the
// plan is stated in users or concurrency (NV-14, NV-12); open models (arrival-rate: requests per
// second whatever the latency) where the plan is a throughput target.

import { compileSchedule, parseDurationS } from './schedule.js';

// The NV-13 SLI targets. Error rate < 0.1%; 429s the scenario provokes itself are not failures.
export const THRESHOLDS = {
  feed: {
    'http_req_duration{name:feed}': ['p(99)<500'],
    http_req_failed: ['rate<0.001'],
  },
  'chat-burst': {
    chat_ack_duration: ['p(99)<100'],
    chat_failed: ['rate<0.001'],
  },
  'search-spike': {
    'http_req_duration{kind:search}': ['p(99)<1000'],
    http_req_failed: ['rate<0.001'],
  },
};

const feed = {
  // Two users browsing for ten seconds: proves the script and the platform work.
  smoke: { scenario: { executor: 'constant-vus', vus: 2, duration: '10s' } },
  // NV-14, the Nova audit's load plan, threshold p(99) < 500 ms.
  load: {
    scenario: {
      executor: 'ramping-vus',
      startVUs: 0,
      stages: [
        { duration: '2m', target: 10 }, // warm-up: caches and pools fill
        { duration: '5m', target: 100 }, // ramp to the expected peak
        { duration: '2m', target: 200 }, // twice the peak
        { duration: '1m', target: 0 }, // ramp down: does it recover?
      ],
      gracefulRampDown: '10s',
    },
  },
  // Open model: requests per second rise whatever the latency, until something gives.
  stress: {
    scenario: {
      executor: 'ramping-arrival-rate',
      startRate: 10,
      timeUnit: '1s',
      preAllocatedVUs: 50,
      maxVUs: 400,
      stages: [
        { duration: '1m', target: 50 }, // comfortable
        { duration: '3m', target: 200 }, // past the NV-14 peak
        { duration: '3m', target: 400 }, // where does it break?
        { duration: '1m', target: 0 }, // recovery
      ],
    },
  },
  // A sudden jump of users, held, then gone.
  spike: {
    scenario: {
      executor: 'ramping-vus',
      startVUs: 10,
      stages: [
        { duration: '30s', target: 10 }, // steady before
        { duration: '10s', target: 300 }, // the spike
        { duration: '1m', target: 300 }, // held
        { duration: '10s', target: 10 }, // gone
        { duration: '30s', target: 10 }, // steady after: back to normal?
      ],
      gracefulRampDown: '10s',
    },
  },
  // Half an hour at a steady rate: leaks, pool exhaustion, growing queues.
  soak: { scenario: { executor: 'constant-arrival-rate', rate: 30, timeUnit: '1s', duration: '30m', preAllocatedVUs: 20, maxVUs: 200 } },
};

// Chat: N connections (one per VU, held for the whole run), each sending bursts to its
// conversation: connect window (everyone joins), bursts, then a drain so every delivery can land.
const chatPlan = (vus, chat) => ({
  scenario: { executor: 'per-vu-iterations', vus, iterations: 1, maxDuration: `${chat.connectWindowS + chat.burstS + chat.drainS + 30}s` },
  chat,
});
const chatBurst = {
  // Four sockets in two conversations, pairs of messages every second: proves the protocol works.
  smoke: chatPlan(4, { connectWindowS: 3, burstS: 6, drainS: 3, burstSize: 2, burstIntervalMs: 1000 }),
  // A hundred members chatting at the expected pace.
  load: chatPlan(100, { connectWindowS: 20, burstS: 120, drainS: 10, burstSize: 10, burstIntervalMs: 2000 }),
  // Four hundred members in bursts twice as large, twice as often.
  stress: chatPlan(400, { connectWindowS: 40, burstS: 180, drainS: 15, burstSize: 20, burstIntervalMs: 1000 }),
  // Everyone sends a large burst at once every five seconds.
  spike: chatPlan(200, { connectWindowS: 20, burstS: 60, drainS: 15, burstSize: 50, burstIntervalMs: 5000 }),
  // Half an hour of steady chat: socket and memory leaks.
  soak: chatPlan(100, { connectWindowS: 20, burstS: 1800, drainS: 15, burstSize: 5, burstIntervalMs: 5000 }),
};

const searchSpike = {
  // Five searches a second for ten seconds.
  smoke: { scenario: { executor: 'constant-arrival-rate', rate: 5, timeUnit: '1s', duration: '10s', preAllocatedVUs: 5, maxVUs: 20 } },
  // NV-12's safe concurrency: twenty searches in flight.
  load: {
    scenario: {
      executor: 'ramping-vus',
      startVUs: 0,
      stages: [
        { duration: '1m', target: 20 }, // ramp to the safe concurrency
        { duration: '3m', target: 20 }, // hold
        { duration: '30s', target: 0 }, // ramp down
      ],
      gracefulRampDown: '10s',
    },
  },
  // Concurrency past the spike, to find the knee.
  stress: {
    scenario: {
      executor: 'ramping-vus',
      startVUs: 0,
      stages: [
        { duration: '1m', target: 50 }, // NV-12's spike level
        { duration: '2m', target: 100 }, // twice it
        { duration: '2m', target: 200 }, // four times it
        { duration: '30s', target: 0 }, // recovery
      ],
      gracefulRampDown: '10s',
    },
  },
  // NV-12: a spike to 50 concurrent searches over mixed selective and broad terms.
  spike: {
    scenario: {
      executor: 'ramping-vus',
      startVUs: 5,
      stages: [
        { duration: '30s', target: 5 }, // background searching
        { duration: '10s', target: 50 }, // the spike
        { duration: '1m', target: 50 }, // held at 50 concurrent
        { duration: '10s', target: 5 }, // back down
        { duration: '30s', target: 5 }, // does latency recover?
      ],
      gracefulRampDown: '10s',
    },
  },
  // Ten searches a second for half an hour.
  soak: { scenario: { executor: 'constant-arrival-rate', rate: 10, timeUnit: '1s', duration: '30m', preAllocatedVUs: 10, maxVUs: 100 } },
};

export const PLANS = { feed, 'chat-burst': chatBurst, 'search-spike': searchSpike };
export const PROFILE_NAMES = ['smoke', 'load', 'stress', 'spike', 'soak'];

// Durations are parsed by the schedule compiler alone; re-exported for the scripts and brink.
export { parseDurationS };

const scaleDuration = (text, timeScale) => (timeScale === 1 ? text : `${Math.max(1, Math.round(parseDurationS(text) * timeScale))}s`);

/**
 * The plan of one scenario and profile, with every duration multiplied by timeScale (0.1 runs a
 * ten-minute plan in one minute; never below one second per stage). Think time is not scaled.
 * The run's plan is compiled here, once, into plan.schedule (schedule.js): what every reader of
 * its timing uses.
 */
export function planFor(scenario, profile, timeScale = 1) {
  const byProfile = PLANS[scenario];
  if (!byProfile) throw new Error(`unknown scenario "${scenario}"; expected one of: ${Object.keys(PLANS).join(', ')}`);
  const plan = byProfile[profile];
  if (!plan) throw new Error(`unknown profile "${profile}"; expected one of: ${PROFILE_NAMES.join(', ')}`);
  const s = { ...plan.scenario };
  for (const key of ['duration', 'maxDuration', 'gracefulRampDown']) if (s[key]) s[key] = scaleDuration(s[key], timeScale);
  if (s.stages) s.stages = s.stages.map((st) => ({ ...st, duration: scaleDuration(st.duration, timeScale) }));
  let chat = plan.chat;
  if (chat) {
    chat = { ...chat };
    for (const key of ['connectWindowS', 'burstS', 'drainS']) chat[key] = Math.max(1, Math.round(chat[key] * timeScale));
    s.maxDuration = `${chat.connectWindowS + chat.burstS + chat.drainS + 30}s`;
  }
  return { scenario: s, ...(chat ? { chat } : {}), thresholds: THRESHOLDS[scenario], schedule: compileSchedule({ scenario: s, chat }) };
}
