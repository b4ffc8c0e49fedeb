/** What the coordinator (workers.ts) and a worker thread (worker.ts) send each other. */
import type { EngineRunOptions, ScenarioRef } from './engine-types.ts';
import type { RecorderState } from './recorder.ts';

export type WorkerInput = Omit<EngineRunOptions, 'scenario' | 'signal' | 'workers' | 'scenarioRef'> & { ref: ScenarioRef };

export type WorkerMessage =
  | { type: 'ready' }
  | { type: 'tick'; tMs: number; requests: number; errors: number; p99Ms: number; vus?: number; requestsSoFar: number; errorsSoFar: number; p99SoFarMs: number }
  | { type: 'done'; result: { state: RecorderState; durationMs: number; aborted: boolean; notes: string[]; startedAt: string } }
  | { type: 'failed'; message: string };
