/**
 * The Node load engine. It runs a scenario's iterations on the plan's executor (closed: VUs
 * looping; open: arrivals at intended times, queued, never skipped, when every VU is busy, so their
 * latency includes the wait - coordinated omission corrected as in wrk2) and records samples in a
 * Recorder. It never prints: it emits start, tick (every second), response (if anyone listens) and
 * done, and a display in the CLI listens.
 */
import { EventEmitter, setMaxListeners } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Plan } from '../k6/lib/plans.js';
import { owns, shareOf, WHOLE, type Stripe } from '../segments/stripe.ts';
import { HttpClient, type RequestOptions } from './http-client.ts';
import { Recorder } from './recorder.ts';
import { arrivalTimes, isOpenModel, planDurationS, rateSegments, valueAt, vuSegments } from './schedule.ts';
import type { VuContext } from './vu-context.ts';
import type { EngineEvents, EngineResult, EngineRunOptions, EngineTick } from './engine-types.ts';
import { maxVusOf, phasesOf } from './phases.ts';

export type { EngineEvents, EngineResult, EngineRunOptions, EngineTick, ScenarioRef } from './engine-types.ts';
export { maxVusOf, phasesOf } from './phases.ts';

const MAX_ITERATION_ERRORS_NOTED = 5;

const NO_TAGS: Record<string, string> = Object.freeze({}) as Record<string, string>;

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

  async #runHere(o: EngineRunOptions): Promise<EngineResult> {
    const cfg = o.plan.scenario;
    const open = isOpenModel(cfg);
    const stripe = o.stripe ?? WHOLE;
    const plannedMs = planDurationS(cfg) * 1000;
    const phaseDefs = phasesOf(o.plan);
    const rec = new Recorder({ phases: phaseDefs, submetrics: o.submetrics ?? [] });
    const inner = new AbortController();
    // Every in-flight request and sleep listens to this one signal.
    setMaxListeners(0, inner.signal);
    const onAbort = () => inner.abort();
    o.signal?.addEventListener('abort', onAbort, { once: true });
    if (o.signal?.aborted) inner.abort();
    // VU numbers stay those of the whole plan (data and chat seats are assigned by them); the
    // connection pool and the open model's VU cap are this stripe's share.
    const maxVus = maxVusOf(o.plan);
    const myMaxVus = Math.max(1, open ? Math.ceil(maxVus / stripe.stride) : shareOf(stripe, maxVus));
    const t0 = performance.now();
    const startedAt = new Date().toISOString();
    const elapsed = () => performance.now() - t0;
    // Checked once: listeners subscribe before run(), and a listenerCount per sample is costly.
    const wantsResponses = this.listenerCount('response') > 0;
    const sample = wantsResponses
      ? (metric: string, value: number, tags: Record<string, string> = NO_TAGS) => {
          rec.add(metric, value, tags, performance.now() - t0);
          this.emit('response', { metric, value, tags });
        }
      : (metric: string, value: number, tags: Record<string, string> = NO_TAGS) => rec.add(metric, value, tags, performance.now() - t0);
    const http = new HttpClient(o.data.baseUrl, myMaxVus, sample, inner.signal);
    const notes: string[] = [];
    let iterationErrors = 0;
    let active = 0;
    let stopped = false;

    const makeVu = (vu: number): VuContext & { pendingIntended?: number } => {
      const ctx: VuContext & { pendingIntended?: number } = {
        vu,
        plannedVus: maxVus,
        iteration: 0,
        data: o.data,
        plan: o.plan,
        elapsedMs: elapsed,
        sample,
        get: (path, ro) => http.get(path, withIntended(ctx, ro)),
        post: (path, body, ro) => http.post(path, body, withIntended(ctx, ro)),
        sleep: (ms) => sleep(ms, undefined, { signal: inner.signal }).catch(() => undefined),
        signal: inner.signal,
        state: {},
        openModel: open,
      };
      return ctx;
    };

    const iterate = async (ctx: VuContext & { pendingIntended?: number }, intendedAtMs?: number) => {
      active += 1;
      ctx.pendingIntended = intendedAtMs;
      const start = intendedAtMs ?? performance.now();
      try {
        await o.scenario.node.iteration(ctx);
        sample('iterations', 1);
      } catch (e) {
        if (!inner.signal.aborted) {
          iterationErrors += 1;
          if (iterationErrors <= MAX_ITERATION_ERRORS_NOTED) notes.push(`iteration error (VU ${ctx.vu}): ${(e as Error).message}`);
        }
      } finally {
        sample('iteration_duration', performance.now() - start);
        ctx.iteration += 1;
        active -= 1;
      }
    };

    this.emit('start', { plannedMs, startedAt });
    sample('vus', 0);
    const ticker = setInterval(() => {
      sample('vus', active);
      const points = rec.flushBefore(elapsed());
      const so = rec.soFar();
      for (const p of points) {
        this.emit('tick', { ...p, elapsedMs: elapsed(), plannedMs, requestsSoFar: so.requests, errorsSoFar: so.errors, p99SoFarMs: so.p99Ms });
      }
    }, 1000);

    const loops: Promise<void>[] = [];
    try {
      if (open) {
        loops.push(this.#runOpen(o, stripe, makeVu, iterate, sample, elapsed, myMaxVus, () => stopped || inner.signal.aborted));
      } else if (cfg.executor === 'per-vu-iterations') {
        for (let vu = stripe.offset + 1; vu <= cfg.vus; vu += stripe.stride) {
          const ctx = makeVu(vu);
          loops.push((async () => {
            for (let i = 0; i < cfg.iterations && !stopped && !inner.signal.aborted; i++) await iterate(ctx);
          })());
        }
      } else {
        loops.push(this.#runClosed(cfg, stripe, makeVu, iterate, elapsed, () => stopped || inner.signal.aborted, loops));
      }
      // The plan's end, then a bounded grace for iterations under way, then abort what is left.
      const planEnd = sleep(plannedMs, undefined, { signal: inner.signal }).catch(() => undefined);
      const allDone = Promise.all(loops);
      await Promise.race([planEnd, allDone]);
      stopped = true;
      const graceMs = (o.gracefulStopS ?? 30) * 1000;
      const graceTimer = new AbortController();
      const graceOver = sleep(graceMs, undefined, { signal: graceTimer.signal }).then(() => 'timeout' as const).catch(() => 'done' as const);
      const outcome = await Promise.race([Promise.all(loops).then(() => 'done' as const), graceOver]);
      graceTimer.abort();
      if (outcome === 'timeout') {
        notes.push(`iterations still running ${graceMs / 1000}s after the plan ended were interrupted`);
        inner.abort();
        await Promise.race([Promise.all(loops), sleep(5000)]);
      }
    } finally {
      clearInterval(ticker);
      o.signal?.removeEventListener('abort', onAbort);
      await http.close();
    }
    const aborted = o.signal?.aborted ?? false;
    const durationMs = elapsed();
    if (iterationErrors > 0) notes.push(`${iterationErrors} iterations threw an error`);
    const result: EngineResult = { ...rec.finish(durationMs), lookup: rec.lookup, durationMs, aborted, notes, startedAt, phaseDefs, state: rec.toState() };
    this.emit('done', result);
    return result;
  }

  /** Closed model: VU i runs while the plan wants at least i VUs (checked every 100 ms). */
  async #runClosed(
    cfg: Plan['scenario'],
    stripe: Stripe,
    makeVu: (vu: number) => VuContext,
    iterate: (ctx: VuContext) => Promise<void>,
    elapsed: () => number,
    isStopped: () => boolean,
    loops: Promise<void>[],
  ): Promise<void> {
    const segs = vuSegments(cfg);
    const running = new Set<number>();
    let target = 0;
    while (!isStopped()) {
      target = Math.round(valueAt(segs, elapsed() / 1000));
      for (let vu = stripe.offset + 1; vu <= target; vu += stripe.stride) {
        if (running.has(vu)) continue;
        running.add(vu);
        const ctx = makeVu(vu);
        loops.push((async () => {
          while (!isStopped() && vu <= target) await iterate(ctx);
          running.delete(vu);
        })());
      }
      await sleep(100);
    }
  }

  /** Open model: arrivals at intended times; a busy pool queues them with their intended time. */
  async #runOpen(
    o: EngineRunOptions,
    stripe: Stripe,
    makeVu: (vu: number) => VuContext,
    iterate: (ctx: VuContext, intendedAtMs?: number) => Promise<void>,
    sample: (metric: string, value: number, tags?: Record<string, string>) => void,
    elapsed: () => number,
    maxVus: number,
    isStopped: () => boolean,
  ): Promise<void> {
    const t0 = performance.now() - elapsed();
    const free: VuContext[] = [];
    let created = 0;
    const queue: number[] = [];
    let queueHead = 0;
    let queuedEver = 0;
    const maxQueued = o.maxQueued ?? 1_000_000;
    const running = new Set<Promise<void>>();
    const start = (ctx: VuContext, intended: number) => {
      const p = iterate(ctx, intended).then(() => {
        running.delete(p);
        // A freed VU takes the oldest waiting arrival, still timed from when it was due.
        if (queueHead < queue.length && !isStopped()) start(ctx, queue[queueHead++]!);
        else free.push(ctx);
        if (queueHead > 4096 && queueHead * 2 > queue.length) queue.splice(0, queueHead), (queueHead = 0);
      });
      running.add(p);
    };
    const arrivals = arrivalTimes(rateSegments(o.plan.scenario));
    let index = 0; // of the whole plan's arrivals; this stripe takes its own, on their intended times
    const nextOwn = () => {
      let n = arrivals.next();
      while (!n.done && !owns(stripe, index)) (index += 1), (n = arrivals.next());
      index += 1;
      return n;
    };
    let next = nextOwn();
    while (!next.done && !isStopped()) {
      const nowS = elapsed() / 1000;
      while (!next.done && next.value <= nowS) {
        const intended = t0 + next.value * 1000;
        sample('iterations_offered', 1);
        let ctx = free.pop();
        if (!ctx && created < maxVus) ctx = makeVu(++created);
        if (ctx) start(ctx, intended);
        else if (queue.length - queueHead < maxQueued) {
          queue.push(intended);
          queuedEver += 1;
        } else sample('dropped_iterations', 1);
        next = nextOwn();
      }
      if (next.done) break;
      await sleep(Math.max(0, Math.min(50, next.value * 1000 - elapsed())));
    }
    if (queuedEver > 0) sample('iterations_queued', queuedEver);
    while (running.size > 0) await Promise.race(running);
  }
}

/**
 * The first request of an open-model iteration is timed from when the arrival was due. Other
 * requests pass their options through untouched (no copy per request: the client already holds
 * the run's abort signal).
 */
function withIntended(ctx: VuContext & { pendingIntended?: number }, ro: RequestOptions): RequestOptions {
  const intendedAtMs = ctx.pendingIntended;
  if (intendedAtMs === undefined) return ro;
  ctx.pendingIntended = undefined;
  return { ...ro, intendedAtMs };
}
