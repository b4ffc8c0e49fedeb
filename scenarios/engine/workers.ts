/**
 * The engine on worker threads: one event loop per worker, each running its own part of the
 * stripe (segment j/W of it: every W-th VU or arrival, on the plan's own intended times), started
 * together on one "go". The parent shows combined progress and merges the workers' recorder states
 * (histograms merged, never averaged) into one result, exactly as `brink merge` merges segments.
 */
import { Worker } from 'node:worker_threads';
import { subStripe, WHOLE } from '../segments/stripe.ts';
import type { EngineResult, EngineRunOptions, EngineTick } from './engine-types.ts';
import { phasesOfSchedule } from './phases.ts';
import { mergeStates } from './recorder.ts';
import { scheduleOf } from './schedule.ts';
import { WorkerProgress, type TickMessage } from './worker-progress.ts';
import type { WorkerInput, WorkerMessage } from './worker-protocol.ts';

type Done = Extract<WorkerMessage, { type: 'done' }>['result'];

interface StartedWorker {
  worker: Worker;
  /** Resolves when the worker has loaded its scenario and waits for "go". */
  ready: Promise<void>;
  /** Its recorder state; rejects when it fails or exits first. */
  done: Promise<Done>;
}

export async function runInWorkers(o: EngineRunOptions, onTick: (t: EngineTick) => void, onStart: (s: { plannedMs: number; startedAt: string }) => void): Promise<EngineResult> {
  const count = o.workers ?? 1;
  if (!o.scenarioRef) throw new Error('worker threads need scenarioRef: how a worker loads the scenario');
  const schedule = scheduleOf(o.plan);
  const plannedMs = schedule.durationS * 1000;
  const progress = new WorkerProgress(count, plannedMs);
  const started = Array.from({ length: count }, (_, i) =>
    startWorker(workerInput(o, i + 1, count), i + 1, (m) => {
      const t = progress.add(i, m);
      if (t) onTick(t);
    }),
  );
  const workers = started.map((s) => s.worker);
  const done = started.map((s) => s.done);
  const onAbort = () => workers.forEach((w) => w.postMessage('abort'));
  try {
    // A worker that fails while loading rejects its "done" before it is ever ready.
    await Promise.race([Promise.all(started.map((s) => s.ready)), Promise.all(done)]);
    const startedAt = new Date().toISOString();
    o.signal?.addEventListener('abort', onAbort, { once: true });
    if (o.signal?.aborted) onAbort();
    onStart({ plannedMs, startedAt });
    for (const w of workers) w.postMessage('go');
    const parts = await Promise.all(done);
    const phaseDefs = phasesOfSchedule(schedule);
    const durationMs = Math.max(...parts.map((p) => p.durationMs));
    const rec = mergeStates(parts.map((p) => p.state), phaseDefs);
    const notes = [...new Set(parts.flatMap((p) => p.notes))];
    return { ...rec.finish(durationMs), lookup: rec.lookup, durationMs, aborted: parts.some((p) => p.aborted), notes, startedAt, phaseDefs, state: rec.toState() };
  } finally {
    o.signal?.removeEventListener('abort', onAbort);
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/** Worker j's (1-based) share of the run: its part of the stripe and of the open model's queue. */
function workerInput(o: EngineRunOptions, j: number, count: number): WorkerInput {
  return {
    ref: o.scenarioRef!,
    plan: o.plan,
    data: o.data,
    stripe: subStripe(o.stripe ?? WHOLE, j, count),
    ...(o.submetrics ? { submetrics: o.submetrics } : {}),
    ...(o.gracefulStopS !== undefined ? { gracefulStopS: o.gracefulStopS } : {}),
    ...(o.maxQueued !== undefined ? { maxQueued: Math.ceil(o.maxQueued / count) } : {}),
  };
}

function startWorker(input: WorkerInput, j: number, onTick: (m: TickMessage) => void): StartedWorker {
  const worker = new Worker(new URL('./worker-entry.mjs', import.meta.url), { workerData: input });
  let onReady!: () => void;
  const ready = new Promise<void>((r) => (onReady = r));
  const done = new Promise<Done>((resolve, reject) => {
    worker.on('error', reject);
    worker.on('exit', (code) => reject(new Error(`engine worker ${j} exited (${code}) before it finished`)));
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'ready') onReady();
      else if (m.type === 'failed') reject(new Error(`engine worker ${j}: ${m.message}`));
      else if (m.type === 'done') resolve(m.result);
      else if (m.type === 'tick') onTick(m);
    });
  });
  return { worker, ready, done };
}
