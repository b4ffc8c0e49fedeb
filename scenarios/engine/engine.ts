/**
 * The Node load engine. It runs a scenario's iterations on the plan's executor (closed: VUs
 * looping; open: arrivals at intended times, queued, never skipped, when every VU is busy, so their
 * latency includes the wait - coordinated omission corrected as in wrk2) and records samples in a
 * Recorder. It never prints: it emits start, tick (every second), response (if anyone listens) and
 * done, and a display in the CLI listens.
 */
import { EventEmitter } from 'node:events';
import type { EngineEvents, EngineResult, EngineRunOptions } from './engine-types.ts';
import { EngineRun } from './engine-run.ts';
import { startExecutor } from './executors.ts';
import { runToPlanEnd } from './plan-end.ts';

export type { EngineEvents, EngineResult, EngineRunOptions, EngineTick, ScenarioRef } from './engine-types.ts';
export { maxVusOf, phasesOf } from './phases.ts';

export class LoadEngine extends EventEmitter<EngineEvents> {
  async run(o: EngineRunOptions): Promise<EngineResult> {
    if ((o.workers ?? 1) > 1) {
      const { runInWorkers } = await import('./workers.ts');
      const r = await runInWorkers(o, (t) => this.emit('tick', t), (s) => this.emit('start', s));
      this.emit('done', r);
      return r;
    }
    return this.#runHere(o);
  }

  /** Assembly only: the run's state, its executor, its end; the parts live in their own modules. */
  async #runHere(o: EngineRunOptions): Promise<EngineResult> {
    // Checked once: listeners subscribe before run(), and a listenerCount per sample is costly.
    const run = new EngineRun(o, this.listenerCount('response') > 0 ? (r) => this.emit('response', r) : undefined);
    this.emit('start', { plannedMs: run.plannedMs, startedAt: run.startedAt });
    run.sample('vus', 0);
    const stopTicker = run.startTicker((t) => this.emit('tick', t));
    try {
      await runToPlanEnd(run, startExecutor(run), o.gracefulStopS ?? 30);
    } finally {
      stopTicker();
      await run.close();
    }
    const result = run.result();
    this.emit('done', result);
    return result;
  }
}
