/**
 * One run of the engine on this thread: what its parts share (the compiled schedule, the recorder,
 * the HTTP client, the one abort signal, the counters) held in one object, so the executors and the
 * end of the plan are functions of their own rather than closures over one long run().
 */
import { setMaxListeners } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { shareOf, WHOLE, type Stripe } from '../segments/stripe.ts';
import type { EngineEvents, EngineResult, EngineRunOptions, EngineTick } from './engine-types.ts';
import { HttpClient, type RequestOptions } from './http-client.ts';
import { phasesOfSchedule } from './phases.ts';
import { Recorder, type PhaseDef } from './recorder.ts';
import { scheduleOf, type Schedule } from './schedule.ts';
import type { VuContext } from './vu-context.ts';

const MAX_ITERATION_ERRORS_NOTED = 5;

const NO_TAGS: Record<string, string> = Object.freeze({}) as Record<string, string>;

/** A VU as the engine holds it: the open model's intended start waits here for the first request. */
export type EngineVu = VuContext & { pendingIntended?: number };

export type Sample = (metric: string, value: number, tags?: Record<string, string>) => void;

export type OnResponse = (r: EngineEvents['response'][0]) => void;

export class EngineRun {
  readonly o: EngineRunOptions;
  readonly schedule: Schedule;
  readonly stripe: Stripe;
  readonly plannedMs: number;
  readonly phaseDefs: PhaseDef[];
  readonly rec: Recorder;
  /** Every in-flight request and sleep listens to this one signal. */
  readonly inner = new AbortController();
  /** This stripe's share of the VUs: the connection pool and the open model's VU cap. */
  readonly myMaxVus: number;
  readonly t0: number;
  readonly startedAt: string;
  readonly sample: Sample;
  readonly http: HttpClient;
  readonly notes: string[] = [];
  iterationErrors = 0;
  active = 0;
  /** Set when the plan has ended: loops start no new iteration. */
  stopped = false;
  readonly #onAbort = () => this.inner.abort();

  /** onResponse: given only when someone listens (a listener check per sample is costly). */
  constructor(o: EngineRunOptions, onResponse?: OnResponse) {
    this.o = o;
    this.schedule = scheduleOf(o.plan);
    this.stripe = o.stripe ?? WHOLE;
    this.plannedMs = this.schedule.durationS * 1000;
    this.phaseDefs = phasesOfSchedule(this.schedule);
    this.rec = new Recorder({ phases: this.phaseDefs, submetrics: o.submetrics ?? [] });
    setMaxListeners(0, this.inner.signal);
    o.signal?.addEventListener('abort', this.#onAbort, { once: true });
    if (o.signal?.aborted) this.inner.abort();
    // VU numbers stay those of the whole plan (data and chat seats are assigned by them); the
    // connection pool and the open model's VU cap are this stripe's share.
    const maxVus = this.schedule.maxVus;
    this.myMaxVus = Math.max(1, this.schedule.open ? Math.ceil(maxVus / this.stripe.stride) : shareOf(this.stripe, maxVus));
    this.t0 = performance.now();
    this.startedAt = new Date().toISOString();
    this.sample = sampler(this.rec, this.t0, onResponse);
    this.http = new HttpClient(o.data.baseUrl, this.myMaxVus, this.sample, this.inner.signal);
  }

  readonly elapsed = (): number => performance.now() - this.t0;

  readonly isStopped = (): boolean => this.stopped || this.inner.signal.aborted;

  readonly makeVu = (vu: number): EngineVu => {
    const { o, http, inner } = this;
    const ctx: EngineVu = {
      vu,
      plannedVus: this.schedule.maxVus,
      iteration: 0,
      data: o.data,
      plan: o.plan,
      elapsedMs: this.elapsed,
      sample: this.sample,
      get: (path, ro) => http.get(path, withIntended(ctx, ro)),
      post: (path, body, ro) => http.post(path, body, withIntended(ctx, ro)),
      sleep: (ms) => sleep(ms, undefined, { signal: inner.signal }).catch(() => undefined),
      signal: inner.signal,
      state: {},
      openModel: this.schedule.open,
    };
    return ctx;
  };

  /** One iteration of the scenario on a VU; an open model's is timed from its intended start. */
  readonly iterate = async (ctx: EngineVu, intendedAtMs?: number): Promise<void> => {
    this.active += 1;
    ctx.pendingIntended = intendedAtMs;
    const start = intendedAtMs ?? performance.now();
    try {
      await this.o.scenario.node.iteration(ctx);
      this.sample('iterations', 1);
    } catch (e) {
      if (!this.inner.signal.aborted) {
        this.iterationErrors += 1;
        if (this.iterationErrors <= MAX_ITERATION_ERRORS_NOTED) this.notes.push(`iteration error (VU ${ctx.vu}): ${(e as Error).message}`);
      }
    } finally {
      this.sample('iteration_duration', performance.now() - start);
      ctx.iteration += 1;
      this.active -= 1;
    }
  };

  /** Every second: the active VUs, then the closed seconds as ticks. Returns the stop. */
  startTicker(onTick: (t: EngineTick) => void): () => void {
    const { rec } = this;
    const ticker = setInterval(() => {
      this.sample('vus', this.active);
      const points = rec.flushBefore(this.elapsed());
      const so = rec.soFar();
      for (const p of points) {
        onTick({ ...p, elapsedMs: this.elapsed(), plannedMs: this.plannedMs, requestsSoFar: so.requests, errorsSoFar: so.errors, p99SoFarMs: so.p99Ms });
      }
    }, 1000);
    return () => clearInterval(ticker);
  }

  /** Lets go of the caller's signal and the connections. */
  async close(): Promise<void> {
    this.o.signal?.removeEventListener('abort', this.#onAbort);
    await this.http.close();
  }

  result(): EngineResult {
    const aborted = this.o.signal?.aborted ?? false;
    const durationMs = this.elapsed();
    if (this.iterationErrors > 0) this.notes.push(`${this.iterationErrors} iterations threw an error`);
    const { rec } = this;
    return { ...rec.finish(durationMs), lookup: rec.lookup, durationMs, aborted, notes: this.notes, startedAt: this.startedAt, phaseDefs: this.phaseDefs, state: rec.toState() };
  }
}

/** Records a sample at its time since t0, and emits it too when someone listens. */
function sampler(rec: Recorder, t0: number, onResponse?: OnResponse): Sample {
  return onResponse
    ? (metric, value, tags = NO_TAGS) => {
        rec.add(metric, value, tags, performance.now() - t0);
        onResponse({ metric, value, tags });
      }
    : (metric, value, tags = NO_TAGS) => rec.add(metric, value, tags, performance.now() - t0);
}

/**
 * The first request of an open-model iteration is timed from when the arrival was due. Other
 * requests pass their options through untouched (no copy per request: the client already holds
 * the run's abort signal).
 */
function withIntended(ctx: EngineVu, ro: RequestOptions): RequestOptions {
  const intendedAtMs = ctx.pendingIntended;
  if (intendedAtMs === undefined) return ro;
  ctx.pendingIntended = undefined;
  return { ...ro, intendedAtMs };
}
