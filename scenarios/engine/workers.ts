/**
 * The engine on worker threads: one event loop per worker, each running its own part of the
 * stripe (segment j/W of it: every W-th VU or arrival, on the plan's own intended times), started
 * together on one "go". The parent shows combined progress and merges the workers' recorder states
 * (histograms merged, never averaged) into one result, exactly as `brink merge` merges segments.
 */
import { Worker } from 'node:worker_threads';
import { subStripe, WHOLE } from '../segments/stripe.ts';
import type { EngineResult, EngineRunOptions, EngineTick } from './engine-types.ts';
import { phasesOf } from './phases.ts';
import { mergeStates, type RecorderState } from './recorder.ts';
import { planDurationS } from './schedule.ts';
import type { WorkerInput, WorkerMessage } from './worker-protocol.ts';

type Done = Extract<WorkerMessage, { type: 'done' }>['result'];

export async function runInWorkers(o: EngineRunOptions, onTick: (t: EngineTick) => void, onStart: (s: { plannedMs: number; startedAt: string }) => void): Promise<EngineResult> {
  const count = o.workers ?? 1;
  if (!o.scenarioRef) throw new Error('worker threads need scenarioRef: how a worker loads the scenario');
  const stripe = o.stripe ?? WHOLE;
  const plannedMs = planDurationS(o.plan.scenario) * 1000;
  const workers: Worker[] = [];
  const ready: Promise<void>[] = [];
  const done: Promise<Done>[] = [];
  // Progress per second: shown once every worker has closed that second. Display only; the final
  // time series merges the seconds' histograms.
  const seconds = new Map<number, { n: number; requests: number; errors: number; p99Ms: number; vus?: number }>();
  const soFar = Array.from({ length: count }, () => ({ requests: 0, errors: 0, p99Ms: 0 }));
  const t0 = performance.now();
  for (let j = 1; j <= count; j++) {
    const input: WorkerInput = {
      ref: o.scenarioRef,
      plan: o.plan,
      data: o.data,
      stripe: subStripe(stripe, j, count),
      ...(o.submetrics ? { submetrics: o.submetrics } : {}),
      ...(o.gracefulStopS !== undefined ? { gracefulStopS: o.gracefulStopS } : {}),
      ...(o.maxQueued !== undefined ? { maxQueued: Math.ceil(o.maxQueued / count) } : {}),
    };
    const w = new Worker(new URL('./worker-entry.mjs', import.meta.url), { workerData: input });
    workers.push(w);
    let onReady!: () => void;
    ready.push(new Promise<void>((r) => (onReady = r)));
    done.push(
      new Promise<Done>((resolve, reject) => {
        w.on('error', reject);
        w.on('exit', (code) => reject(new Error(`engine worker ${j} exited (${code}) before it finished`)));
        w.on('message', (m: WorkerMessage) => {
          if (m.type === 'ready') onReady();
          else if (m.type === 'failed') reject(new Error(`engine worker ${j}: ${m.message}`));
          else if (m.type === 'done') resolve(m.result);
          else if (m.type === 'tick') {
            soFar[j - 1] = { requests: m.requestsSoFar, errors: m.errorsSoFar, p99Ms: m.p99SoFarMs };
            const s = seconds.get(m.tMs) ?? { n: 0, requests: 0, errors: 0, p99Ms: 0 };
            s.n += 1;
            s.requests += m.requests;
            s.errors += m.errors;
            s.p99Ms = Math.max(s.p99Ms, m.p99Ms);
            if (m.vus !== undefined) s.vus = (s.vus ?? 0) + m.vus;
            seconds.set(m.tMs, s);
            if (s.n === count) {
              seconds.delete(m.tMs);
              onTick({
                tMs: m.tMs, requests: s.requests, errors: s.errors, ratePerSec: s.requests, p50Ms: 0, p95Ms: 0, p99Ms: s.p99Ms, ...(s.vus !== undefined ? { vus: s.vus } : {}),
                elapsedMs: performance.now() - t0, plannedMs,
                requestsSoFar: soFar.reduce((a, x) => a + x.requests, 0),
                errorsSoFar: soFar.reduce((a, x) => a + x.errors, 0),
                p99SoFarMs: Math.max(...soFar.map((x) => x.p99Ms)),
              });
            }
          }
        });
      }),
    );
  }
  const onAbort = () => workers.forEach((w) => w.postMessage('abort'));
  try {
    // A worker that fails while loading rejects its "done" before it is ever ready.
    await Promise.race([Promise.all(ready), Promise.all(done)]);
    const startedAt = new Date().toISOString();
    o.signal?.addEventListener('abort', onAbort, { once: true });
    if (o.signal?.aborted) onAbort();
    onStart({ plannedMs, startedAt });
    for (const w of workers) w.postMessage('go');
    const parts = await Promise.all(done);
    const states: RecorderState[] = parts.map((p) => p.state);
    const durationMs = Math.max(...parts.map((p) => p.durationMs));
    const phaseDefs = phasesOf(o.plan);
    const rec = mergeStates(states, phaseDefs);
    const finished = rec.finish(durationMs);
    const notes = [...new Set(parts.flatMap((p) => p.notes))];
    return { ...finished, lookup: rec.lookup, durationMs, aborted: parts.some((p) => p.aborted), notes, startedAt, phaseDefs, state: rec.toState() };
  } finally {
    o.signal?.removeEventListener('abort', onAbort);
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
