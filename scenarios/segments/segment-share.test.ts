/**
 * Segment i/N of every executor sends its share of what one run sends: the engine runs a scenario
 * that records which VU ran each iteration (no network), once whole and once per segment.
 */
import { describe, expect, it } from 'vitest';
import { LoadEngine } from '../engine/engine.ts';
import type { ExecutorConfig } from '../k6/lib/plans.js';
import type { ScenarioDescriptor, SetupData } from '../types.ts';
import { stripeOf, type Stripe } from './stripe.ts';

const data: SetupData = { baseUrl: 'http://127.0.0.1:9', users: [], heavyUsers: [], conversations: [], searchTerms: { selective: [], broad: [] }, dataset: 'none' };

async function run(executor: ExecutorConfig, stripe?: Stripe, thinkMs = 0) {
  const vus: number[] = [];
  const scenario: ScenarioDescriptor = {
    id: 't', description: '', k6Script: '', planKey: '', metrics: [],
    node: { iteration: async (vu) => void (vus.push(vu.vu), thinkMs && (await vu.sleep(thinkMs))) },
  };
  const r = await new LoadEngine().run({ scenario, plan: { scenario: executor, thresholds: {} }, data, gracefulStopS: 2, ...(stripe ? { stripe } : {}) });
  return { iterations: r.counters.iterations ?? 0, offered: r.counters.iterations_offered ?? 0, vus: new Set(vus) };
}

const segmentsOf = (executor: ExecutorConfig, n: number, thinkMs = 0) =>
  Promise.all(Array.from({ length: n }, (_, i) => run(executor, stripeOf({ index: i + 1, count: n }), thinkMs)));

describe('segment i/N of each executor', () => {
  it('constant-arrival-rate: the segments send every arrival of the plan once, 14 + 13 + 13 of 40', async () => {
    const plan: ExecutorConfig = { executor: 'constant-arrival-rate', rate: 40, timeUnit: '1s', duration: '1s', preAllocatedVUs: 5, maxVUs: 10 };
    const [whole, parts] = await Promise.all([run(plan), segmentsOf(plan, 3)]);
    expect(whole.iterations).toBe(40);
    expect(parts.map((p) => p.iterations)).toEqual([14, 13, 13]);
    expect(parts.map((p) => p.offered)).toEqual([14, 13, 13]);
  });

  it('ramping-arrival-rate: the segments together send what one run sends', async () => {
    const plan: ExecutorConfig = { executor: 'ramping-arrival-rate', startRate: 0, timeUnit: '1s', preAllocatedVUs: 5, maxVUs: 10, stages: [{ duration: '1s', target: 40 }, { duration: '500ms', target: 0 }] };
    const [whole, parts] = await Promise.all([run(plan), segmentsOf(plan, 2)]);
    expect(whole.iterations).toBe(30);
    expect(parts.map((p) => p.iterations)).toEqual([15, 15]);
  });

  it('constant-vus: segment i of N runs VUs i, i+N, … and no other', async () => {
    const plan: ExecutorConfig = { executor: 'constant-vus', vus: 5, duration: '400ms' };
    const [whole, parts] = await Promise.all([run(plan, undefined, 50), segmentsOf(plan, 2, 50)]);
    expect([...whole.vus].sort()).toEqual([1, 2, 3, 4, 5]);
    expect(parts.map((p) => [...p.vus].sort())).toEqual([[1, 3, 5], [2, 4]]);
  });

  it('ramping-vus: the segments run disjoint VUs that together are the whole run\'s', async () => {
    const plan: ExecutorConfig = { executor: 'ramping-vus', startVUs: 0, stages: [{ duration: '300ms', target: 6 }, { duration: '1500ms', target: 6 }] };
    const [whole, parts] = await Promise.all([run(plan, undefined, 50), segmentsOf(plan, 3, 50)]);
    expect([...whole.vus].sort()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(parts.map((p) => [...p.vus].sort())).toEqual([[1, 4], [2, 5], [3, 6]]);
  });

  it('per-vu-iterations: each segment runs its VUs\' iterations, 9 + 6 of 15', async () => {
    const plan: ExecutorConfig = { executor: 'per-vu-iterations', vus: 5, iterations: 3, maxDuration: '5s' };
    const [whole, parts] = await Promise.all([run(plan), segmentsOf(plan, 2)]);
    expect(whole.iterations).toBe(15);
    expect(parts.map((p) => p.iterations)).toEqual([9, 6]);
    expect(parts.map((p) => [...p.vus].sort())).toEqual([[1, 3, 5], [2, 4]]);
  });
});
