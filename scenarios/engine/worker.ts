/**
 * One load-engine worker thread: loads the scenario (registered id or module export), says it is
 * ready, starts on "go" (so every worker's clock starts together), streams its ticks, and hands
 * back its Recorder state with every histogram encoded. The parent merges the states.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { ScenarioDescriptor } from '../types.ts';
import { LoadEngine, type ScenarioRef } from './engine.ts';
import type { WorkerInput, WorkerMessage } from './worker-protocol.ts';

export type { WorkerInput, WorkerMessage } from './worker-protocol.ts';

const port = parentPort!;
const input = workerData as WorkerInput;
const post = (m: WorkerMessage) => port.postMessage(m);

async function loadScenario(ref: ScenarioRef): Promise<ScenarioDescriptor> {
  if ('id' in ref) return (await import('../registry.ts')).SCENARIOS.get(ref.id);
  const mod = (await import(ref.module)) as Record<string, ScenarioDescriptor | undefined>;
  const s = mod[ref.exportName];
  if (!s) throw new Error(`${ref.module} has no export ${ref.exportName}`);
  return s;
}

try {
  const scenario = await loadScenario(input.ref);
  const ac = new AbortController();
  const { ref: _ref, ...rest } = input;
  port.on('message', (m: 'go' | 'abort') => {
    if (m === 'abort') ac.abort();
    if (m !== 'go') return;
    const engine = new LoadEngine();
    engine.on('tick', (t) => post({ type: 'tick', tMs: t.tMs, requests: t.requests, errors: t.errors, p99Ms: t.p99Ms, ...(t.vus !== undefined ? { vus: t.vus } : {}), requestsSoFar: t.requestsSoFar, errorsSoFar: t.errorsSoFar, p99SoFarMs: t.p99SoFarMs }));
    engine
      .run({ ...rest, scenario, signal: ac.signal })
      .then((r) => post({ type: 'done', result: { state: r.state, durationMs: r.durationMs, aborted: r.aborted, notes: r.notes, startedAt: r.startedAt } }))
      .catch((e: Error) => post({ type: 'failed', message: e.message }))
      .finally(() => port.close());
  });
  post({ type: 'ready' });
} catch (e) {
  post({ type: 'failed', message: (e as Error).message });
  port.close();
}
