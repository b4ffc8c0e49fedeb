/**
 * The executors, as k6 names them, running a compiled schedule on an EngineRun: closed models
 * (VUs looping: constant-vus, ramping-vus, per-vu-iterations) and open models (arrivals at intended
 * times, queued, never skipped, when every VU is busy, so their latency includes the wait -
 * coordinated omission corrected as in wrk2).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { EngineRun, EngineVu } from './engine-run.ts';
import { ownArrivals, valueAt } from './schedule.ts';

/**
 * Starts the schedule's executor. The returned list is the run's loops: a closed model adds one
 * loop per VU as the plan ramps up, so whoever awaits them reads the list again after the plan.
 */
export function startExecutor(run: EngineRun): Promise<void>[] {
  const loops: Promise<void>[] = [];
  if (run.schedule.open) loops.push(runOpen(run));
  else if (run.schedule.executor === 'per-vu-iterations') loops.push(...runPerVuIterations(run));
  else loops.push(runClosed(run, loops));
  return loops;
}

/** Each of this stripe's VUs runs the plan's iterations, then stops. */
function runPerVuIterations(run: EngineRun): Promise<void>[] {
  const { stripe, schedule } = run;
  const iterations = schedule.iterations ?? 0;
  const loops: Promise<void>[] = [];
  for (let vu = stripe.offset + 1; vu <= schedule.maxVus; vu += stripe.stride) {
    const ctx = run.makeVu(vu);
    loops.push((async () => {
      for (let i = 0; i < iterations && !run.isStopped(); i++) await run.iterate(ctx);
    })());
  }
  return loops;
}

/** Closed model: VU i runs while the plan wants at least i VUs (checked every 100 ms). */
async function runClosed(run: EngineRun, loops: Promise<void>[]): Promise<void> {
  const { stripe } = run;
  const segs = run.schedule.segments;
  const running = new Set<number>();
  let target = 0;
  while (!run.isStopped()) {
    target = Math.round(valueAt(segs, run.elapsed() / 1000));
    for (let vu = stripe.offset + 1; vu <= target; vu += stripe.stride) {
      if (running.has(vu)) continue;
      running.add(vu);
      const ctx = run.makeVu(vu);
      loops.push((async () => {
        while (!run.isStopped() && vu <= target) await run.iterate(ctx);
        running.delete(vu);
      })());
    }
    await sleep(100);
  }
}

/** Open model: arrivals at intended times; a busy pool queues them with their intended time. */
async function runOpen(run: EngineRun): Promise<void> {
  const t0 = performance.now() - run.elapsed();
  const pool = new OpenPool(run, run.o.maxQueued ?? 1_000_000);
  const arrivals = ownArrivals(run.schedule.segments, run.stripe);
  let next = arrivals.next();
  while (!next.done && !run.isStopped()) {
    const nowS = run.elapsed() / 1000;
    while (!next.done && next.value <= nowS) {
      run.sample('iterations_offered', 1);
      pool.offer(t0 + next.value * 1000);
      next = arrivals.next();
    }
    if (next.done) break;
    await sleep(Math.max(0, Math.min(50, next.value * 1000 - run.elapsed())));
  }
  if (pool.queuedEver > 0) run.sample('iterations_queued', pool.queuedEver);
  await pool.drain();
}

/** The open model's VUs: created up to the cap, reused when free, and a queue of due arrivals. */
class OpenPool {
  readonly #run: EngineRun;
  readonly #maxQueued: number;
  readonly #free: EngineVu[] = [];
  #created = 0;
  readonly #queue: number[] = [];
  #queueHead = 0;
  queuedEver = 0;
  readonly #running = new Set<Promise<void>>();

  constructor(run: EngineRun, maxQueued: number) {
    this.#run = run;
    this.#maxQueued = maxQueued;
  }

  /** An arrival due at `intended` (ms, performance.now() clock): run now, queue, or drop. */
  offer(intended: number): void {
    let ctx = this.#free.pop();
    if (!ctx && this.#created < this.#run.myMaxVus) ctx = this.#run.makeVu(++this.#created);
    if (ctx) this.#start(ctx, intended);
    else if (this.#queue.length - this.#queueHead < this.#maxQueued) {
      this.#queue.push(intended);
      this.queuedEver += 1;
    } else this.#run.sample('dropped_iterations', 1);
  }

  async drain(): Promise<void> {
    while (this.#running.size > 0) await Promise.race(this.#running);
  }

  #start(ctx: EngineVu, intended: number): void {
    const p = this.#run.iterate(ctx, intended).then(() => {
      this.#running.delete(p);
      // A freed VU takes the oldest waiting arrival, still timed from when it was due.
      if (this.#queueHead < this.#queue.length && !this.#run.isStopped()) this.#start(ctx, this.#queue[this.#queueHead++]!);
      else this.#free.push(ctx);
      if (this.#queueHead > 4096 && this.#queueHead * 2 > this.#queue.length) this.#queue.splice(0, this.#queueHead), (this.#queueHead = 0);
    });
    this.#running.add(p);
  }
}
