// What every brink k6 script needs: the setup data brink prepared (seeded users with tokens minted
// before the load, conversations, search terms), the plan for PROFILE, thresholds (overridable by
// a file in k6's own syntax), and handleSummary writing k6's summary JSON for brink to normalize.
// Call these in the init context (open() is only available there).
import { SharedArray } from 'k6/data';
import { planFor } from './plans.js';

/** setup-data.json, shared read-only by all VUs. */
export function loadData() {
  if (!__ENV.BRINK_DATA) throw new Error('BRINK_DATA is not set: pass -e BRINK_DATA=path/to/setup-data.json (brink run writes one in each run directory)');
  return new SharedArray('brink-data', () => [JSON.parse(open(__ENV.BRINK_DATA))])[0];
}

/** The plan for -e PROFILE (default smoke), durations multiplied by -e TIME_SCALE (default 1). */
export function loadPlan(scenario) {
  return planFor(scenario, __ENV.PROFILE || 'smoke', Number(__ENV.TIME_SCALE || 1));
}

/** -e BRINK_THRESHOLDS=file.json replaces the scenario's NV-13 defaults. */
export function thresholdsFor(plan) {
  return __ENV.BRINK_THRESHOLDS ? JSON.parse(open(__ENV.BRINK_THRESHOLDS)) : plan.thresholds;
}

// The percentiles brink reports; k6 computes them for every trend in its summary.
export const SUMMARY_TREND_STATS = ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)', 'p(99.9)', 'count'];

/** handleSummary: k6's summary JSON to -e BRINK_SUMMARY (default k6-summary.json) and a line to stdout. */
export function summaryOutputs(data) {
  const lines = Object.entries(data.metrics)
    .filter(([, m]) => m.thresholds)
    .flatMap(([name, m]) => Object.entries(m.thresholds).map(([expr, t]) => `  ${t.ok ? 'ok  ' : 'FAIL'} ${name}: ${expr}`));
  return {
    [__ENV.BRINK_SUMMARY || 'k6-summary.json']: JSON.stringify(data, null, 2),
    stdout: `thresholds:\n${lines.join('\n')}\n`,
  };
}

/** Request params: bearer token and the tags thresholds filter on (name, kind…). */
export function authParams(token, tags) {
  return { headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', Accept: 'application/json' }, tags };
}
