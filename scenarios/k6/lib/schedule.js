// A run's plan compiled once into a schedule, the way k6's executors do it: the config with its
// defaults filled in, validated, then read. Every duration of the plan is parsed here and nowhere
// else; the Node engine, its worker threads, the phases a report shows and the k6 scripts (through
// planFor's plan.schedule) read the numbers of this schedule instead of re-parsing "2m".
// Plain ES module with no k6 imports, like plans.js: stock k6 and Node can both load it.

/** "1m30s" -> 90. Accepts h, m, s, ms parts, as k6 does. */
export function parseDurationS(text) {
  const re = /(\d+(?:\.\d+)?)(ms|h|m|s)/g;
  let total = 0;
  let matched = '';
  let m;
  while ((m = re.exec(String(text))) !== null) {
    const n = Number(m[1]);
    total += m[2] === 'h' ? n * 3600 : m[2] === 'm' ? n * 60 : m[2] === 's' ? n : n / 1000;
    matched += m[0];
  }
  if (matched.length === 0 || matched !== String(text)) throw new Error(`duration "${text}" is not like 30s, 2m, 1m30s`);
  return total;
}

/** Stages as segments with absolute start times; the value ramps linearly from `from` to `to`. */
export function rampSegments(start, stages) {
  let t = 0;
  let prev = start;
  return stages.map((st) => {
    const seg = { startS: t, durationS: parseDurationS(st.duration), from: prev, to: st.target };
    t += seg.durationS;
    prev = st.target;
    return seg;
  });
}

// Written without `??`, like the other k6 scripts, so older k6 JavaScript runtimes parse it too.
const orDefault = (v, d) => (v === undefined || v === null ? d : v);

const EXECUTORS = ['constant-vus', 'ramping-vus', 'constant-arrival-rate', 'ramping-arrival-rate', 'per-vu-iterations'];

// Counts a plan states; a negative or non-numeric one would silently run nothing (or forever).
const COUNT_FIELDS = ['vus', 'iterations', 'rate', 'startVUs', 'startRate', 'preAllocatedVUs', 'maxVUs'];

/** Throws, naming the field, when the executor config cannot be run. */
function validate(c) {
  if (!c || !EXECUTORS.includes(c.executor)) throw new Error(`plan: executor "${c && c.executor}" is not one of ${EXECUTORS.join(', ')}`);
  for (const key of COUNT_FIELDS) {
    const v = c[key];
    if (v !== undefined && !(typeof v === 'number' && Number.isFinite(v) && v >= 0)) throw new Error(`plan: ${key} must be a number >= 0, got ${JSON.stringify(v)}`);
  }
  if (c.executor === 'ramping-vus' || c.executor === 'ramping-arrival-rate') {
    if (!Array.isArray(c.stages) || c.stages.length === 0) throw new Error(`plan: ${c.executor} needs at least one stage`);
    c.stages.forEach((s, i) => {
      if (!(typeof s.target === 'number' && Number.isFinite(s.target) && s.target >= 0)) throw new Error(`plan: stage ${i + 1}'s target must be a number >= 0, got ${JSON.stringify(s.target)}`);
    });
  }
}

/** VUs (closed model) or arrivals per second (open model) over time; the run's length, s. */
function segmentsOf(c) {
  switch (c.executor) {
    case 'constant-vus': {
      const durationS = parseDurationS(c.duration);
      return { durationS, segments: [{ startS: 0, durationS, from: c.vus, to: c.vus }] };
    }
    case 'ramping-vus':
      return closeStages(rampSegments(orDefault(c.startVUs, 0), c.stages));
    case 'per-vu-iterations': {
      // k6's default maxDuration: the iterations stop there, done or not.
      const durationS = parseDurationS(orDefault(c.maxDuration, '10m'));
      return { durationS, segments: [{ startS: 0, durationS, from: c.vus, to: c.vus }] };
    }
    case 'constant-arrival-rate': {
      const perS = c.rate / timeUnitS(c);
      const durationS = parseDurationS(c.duration);
      return { durationS, segments: [{ startS: 0, durationS, from: perS, to: perS }] };
    }
    case 'ramping-arrival-rate': {
      const unitS = timeUnitS(c);
      return closeStages(rampSegments(orDefault(c.startRate, 0) / unitS, c.stages.map((s) => ({ duration: s.duration, target: s.target / unitS }))));
    }
  }
}

function timeUnitS(c) {
  if (!c.timeUnit) return 1;
  const unitS = parseDurationS(c.timeUnit);
  if (unitS <= 0) throw new Error(`plan: timeUnit "${c.timeUnit}" must be longer than 0s`);
  return unitS;
}

/** A staged plan lasts as long as its stages together (summed in order, as k6 does). */
const closeStages = (segments) => ({ durationS: segments.reduce((a, s) => a + s.durationS, 0), segments });

function maxVusOf(c) {
  switch (c.executor) {
    case 'constant-vus':
    case 'per-vu-iterations':
      return c.vus;
    case 'ramping-vus':
      return Math.max(orDefault(c.startVUs, 0), ...c.stages.map((s) => s.target));
    default:
      return orDefault(c.maxVUs, c.preAllocatedVUs);
  }
}

/** Chat-burst's windows, ms from the start: connect, then bursts, then a drain. */
function chatWindowsOf(chat) {
  const connectEndMs = chat.connectWindowS * 1000;
  const burstEndMs = connectEndMs + chat.burstS * 1000;
  return { connectEndMs, burstEndMs, drainEndMs: burstEndMs + chat.drainS * 1000 };
}

/** The plan ({ scenario, chat? }) compiled: defaults applied, validated, every duration parsed once. */
export function compileSchedule(plan) {
  const c = plan.scenario;
  validate(c);
  const open = c.executor === 'constant-arrival-rate' || c.executor === 'ramping-arrival-rate';
  const { durationS, segments } = segmentsOf(c);
  return {
    executor: c.executor,
    open,
    durationS,
    segments,
    maxVus: maxVusOf(c),
    ...(c.executor === 'per-vu-iterations' ? { iterations: c.iterations } : {}),
    ...(plan.chat ? { chat: chatWindowsOf(plan.chat) } : {}),
  };
}

/** The plan's schedule: the one planFor compiled, or compiled now for a plan written by hand. */
export function scheduleOf(plan) {
  return plan.schedule !== undefined && plan.schedule !== null ? plan.schedule : compileSchedule(plan);
}
