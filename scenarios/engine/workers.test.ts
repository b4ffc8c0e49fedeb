/**
 * Worker threads: one event loop each, splitting the plan, merged into one result that is the
 * whole run's - the same counts and the same percentiles, from merged histograms.
 */
import { describe, expect, it } from 'vitest';
import type { ExecutorConfig } from '../k6/lib/plans.js';
import { syntheticScenario } from '../segments/testing/synthetic-scenario.ts';
import type { SetupData } from '../types.ts';
import { LoadEngine } from './engine.ts';

const data: SetupData = { baseUrl: 'http://127.0.0.1:9', users: [], heavyUsers: [], conversations: [], searchTerms: { selective: [], broad: [] }, dataset: 'none' };
const ref = { module: new URL('../segments/testing/synthetic-scenario.ts', import.meta.url).href, exportName: 'syntheticScenario' };

const run = (executor: ExecutorConfig, workers: number) =>
  new LoadEngine().run({ scenario: syntheticScenario, plan: { scenario: executor, thresholds: {} }, data, gracefulStopS: 2, workers, scenarioRef: ref });

describe('the engine on worker threads', () => {
  it('two workers run every VU of a per-vu-iterations plan once and merge to the one-thread result', async () => {
    const plan: ExecutorConfig = { executor: 'per-vu-iterations', vus: 40, iterations: 5, maxDuration: '10s' };
    const [one, two] = await Promise.all([run(plan, 1), run(plan, 2)]);
    expect(two.totals.requests).toBe(200);
    // Percentiles are identical; the max of a decoded HDR histogram is its bucket's upper edge
    // (encoding keeps counts, not the exact max), so it is equal to 3 significant digits.
    const { max: max2, ...p2 } = two.totals.latencyMs;
    const { max: max1, ...p1 } = one.totals.latencyMs;
    expect(p2).toEqual(p1);
    expect(Math.abs(max2 - max1) / max1).toBeLessThanOrEqual(0.001);
    expect(two.endpoints.map((e) => [e.name, e.requests, e.latencyMs.p99]).sort()).toEqual(one.endpoints.map((e) => [e.name, e.requests, e.latencyMs.p99]).sort());
  }, 60_000);

  it('three workers send every arrival of an open plan once', async () => {
    const r = await run({ executor: 'constant-arrival-rate', rate: 30, timeUnit: '1s', duration: '1s', preAllocatedVUs: 3, maxVUs: 9 }, 3);
    expect(r.counters.iterations).toBe(30);
    expect(r.counters.iterations_offered).toBe(30);
  }, 60_000);
});
