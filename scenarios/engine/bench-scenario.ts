/**
 * The benchmarks' scenario: GET / as fast as possible, body drained unread. In a module of its own
 * so engine worker threads can load it by name (scenarioRef), like a registered scenario.
 */
import type { ScenarioDescriptor } from '../types.ts';

export const benchGetScenario: ScenarioDescriptor = {
  id: 'bench-get',
  description: 'GET / as fast as possible',
  k6Script: '',
  planKey: '',
  metrics: [],
  node: { iteration: async (vu) => void (await vu.get('/', { name: 'bench', discardBody: true })) },
};

export const BENCH_SCENARIO_REF = { module: new URL('./bench-scenario.ts', import.meta.url).href, exportName: 'benchGetScenario' } as const;
