/**
 * The chaos runner, in the Chaos Toolkit's shape:
 *   1. steady state: probe for steadyMs, check the 'before' hypotheses (if they fail, no fault is
 *      injected: the experiment says the system was not steady to begin with);
 *   2. method: faults (toxics, or a proxy disabled) start and stop at offsets while the probes run;
 *   3. recovery: keep probing for recoverMs; the 'during' hypotheses are checked over the fault
 *      window, the 'after' ones over the last afterMs;
 *   4. rollback, ALWAYS (finally, abort signal, SIGINT through the caller): every toxic added is
 *      removed and every proxy disabled is enabled again.
 * The runner emits events (phase, fault, tick, breaker, verdict, note) and returns a plain
 * ExperimentResult; it never prints.
 */
import { EventEmitter } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { BrinkError, type ExperimentResult, type HypothesisVerdict, type TimelineEvent } from '../core/index.ts';
import type { StackState } from '../stack/index.ts';
import type { ToxiproxyClient } from '../stack/index.ts';
import { evaluateHypothesis, type Hypothesis, type Measurements, type Phase } from './hypothesis.ts';
import { startProbeLoop, type ProbeCall } from './probe.ts';
import { computeSlis, inWindow, timeToDetectMs, timeToRecoverMs, type Sample, type Slis, type Window } from './slis.ts';
import { BRINK_TOXIC_PREFIX, describeToxic, type PlacedToxic } from '../stack/index.ts';
import { buildProbeSummary } from './summary.ts';

export interface Timing {
  steadyMs: number;
  /** Length of the method: faults are scheduled inside [0, methodMs). */
  methodMs: number;
  recoverMs: number;
  /** The 'after' hypotheses look at the last afterMs of the recovery. */
  afterMs: number;
}

/**
 * A toxic on a proxy, a proxy disabled (the component is down), or a fault Toxiproxy cannot make
 * (e.g. slow queries holding PgBouncer's pool): `custom` with its own start and stop.
 */
export type FaultAction =
  | { kind: 'toxic'; toxic: PlacedToxic }
  | { kind: 'disable' }
  | { kind: 'custom'; label: string; start(): Promise<void>; stop(): Promise<void> };

/** One fault of the method: on `proxy`, from startMs to stopMs after the method starts. */
export interface FaultStep {
  id: string;
  /** The Toxiproxy proxy, or what a custom fault acts on (a label, not checked). */
  proxy: string;
  action: FaultAction;
  startMs: number;
  stopMs: number;
}

export interface ProbeSpec {
  call: ProbeCall;
  concurrency: number;
  pauseMs: number;
  timeoutMs: number;
  /** A call slower than this counts as an effect of the fault (time to detect / recover). */
  slowMs: number;
}

/** What an experiment's hooks are given. */
export interface ExperimentContext {
  stack: StackState;
  toxiproxy: ToxiproxyClient;
  timing: Timing;
  signal: AbortSignal;
  note(message: string): void;
  /** Breaker changes seen so far (experiments that watch the gateway's breakers fill this). */
  breakerEvents: TimelineEvent[];
}

/** The prepared, runnable form of an experiment (built by an experiment descriptor's prepare()). */
export interface PreparedExperiment {
  id: string;
  description: string;
  timing: Timing;
  probe: ProbeSpec;
  faults: FaultStep[];
  hypotheses: Hypothesis[];
  /** Extra measurements of a phase (pool counts, lost messages…), merged over the SLIs. */
  measure?: (phase: Phase, window: Window, slis: Slis, samples: Sample[]) => Promise<Measurements> | Measurements;
  /** Started before the steady state, stopped after the recovery (breaker watch, consumers…). */
  start?: () => Promise<void> | void;
  stop?: () => Promise<void> | void;
  notes?: string[];
}

export interface RunnerEvents {
  phase: [{ name: 'steady-state' | 'method' | 'recovery' | 'rollback' | 'done'; tMs: number }];
  fault: [TimelineEvent];
  tick: [{ tMs: number; slis: Slis }];
  /** Every probe call (for live displays and benchmarks). */
  sample: [Sample];
  verdict: [HypothesisVerdict];
  note: [string];
}

function sliMeasurements(slis: Slis): Measurements {
  return { ...slis };
}

export class ExperimentRunner extends EventEmitter<RunnerEvents> {
  readonly #timeline: TimelineEvent[] = [];
  readonly #notes: string[] = [];
  /** Faults in force right now, so rollback knows exactly what to undo. */
  readonly #active = new Map<string, FaultStep>();
  #originMs = 0;

  constructor(
    readonly experiment: PreparedExperiment,
    readonly toxiproxy: ToxiproxyClient,
    readonly context: { stack?: StackState; variant?: string; profile?: string } = {},
  ) {
    super();
  }

  get timeline(): TimelineEvent[] {
    return this.#timeline;
  }

  note(message: string): void {
    this.#notes.push(message);
    this.emit('note', message);
  }

  /** Adds an event to the timeline (experiments use it for breaker changes and their own marks). */
  mark(event: TimelineEvent): void {
    this.#timeline.push(event);
    if (event.kind === 'fault-start' || event.kind === 'fault-stop') this.emit('fault', event);
  }

  now(): number {
    return performance.now() - this.#originMs;
  }

  toxicName(step: FaultStep): string {
    return `${BRINK_TOXIC_PREFIX}${this.experiment.id}-${step.id}`;
  }

  async #startFault(step: FaultStep): Promise<void> {
    const a = step.action;
    const label = a.kind === 'toxic' ? `${step.proxy}: ${describeToxic(a.toxic)}` : a.kind === 'disable' ? `${step.proxy}: proxy disabled` : `${step.proxy}: ${a.label}`;
    // Register before the call: if the call half-succeeds and we are interrupted, rollback still undoes it.
    this.#active.set(step.id, step);
    if (a.kind === 'toxic') await this.toxiproxy.addToxic(step.proxy, this.toxicName(step), a.toxic);
    else if (a.kind === 'disable') await this.toxiproxy.setEnabled(step.proxy, false);
    else await a.start();
    const details = a.kind === 'custom' ? { step: step.id, proxy: step.proxy, action: { kind: 'custom', label: a.label } } : { step: step.id, proxy: step.proxy, action: a };
    this.mark({ tMs: Math.round(this.now()), kind: 'fault-start', label, details });
  }

  async #stopFault(step: FaultStep, why: 'scheduled' | 'rollback'): Promise<void> {
    if (!this.#active.has(step.id)) return;
    if (step.action.kind === 'toxic') await this.toxiproxy.removeToxic(step.proxy, this.toxicName(step));
    else if (step.action.kind === 'disable') await this.toxiproxy.setEnabled(step.proxy, true);
    else await step.action.stop();
    this.#active.delete(step.id);
    this.mark({ tMs: Math.round(this.now()), kind: 'fault-stop', label: `${step.proxy}: ${step.id} removed${why === 'rollback' ? ' (rollback)' : ''}`, details: { step: step.id, proxy: step.proxy } });
  }

  /** Undoes every fault still in force. Safe to call more than once, and concurrently with the method. */
  async rollback(): Promise<void> {
    const errors: string[] = [];
    for (const step of [...this.#active.values()]) {
      try {
        await this.#stopFault(step, 'rollback');
      } catch (e) {
        errors.push(`${step.proxy}/${step.id}: ${(e as Error).message}`);
      }
    }
    if (errors.length > 0) throw new BrinkError('UNEXPECTED', `rollback incomplete: ${errors.join('; ')}`, { suggestion: 'run `brink chaos clear` to remove brink toxics by hand' });
  }

  /** Runs the experiment; its stop() hook runs whatever happens (it must be safe without start()). */
  async run(signal: AbortSignal = new AbortController().signal): Promise<ExperimentResult> {
    try {
      return await this.#run(signal);
    } finally {
      await this.experiment.stop?.();
    }
  }

  async #run(signal: AbortSignal): Promise<ExperimentResult> {
    const x = this.experiment;
    const t = x.timing;
    for (const n of x.notes ?? []) this.note(n);
    // Validate every proxy before anything starts: unknown names fail here, with the valid list.
    for (const p of new Set(x.faults.filter((f) => f.action.kind !== 'custom').map((f) => f.proxy))) await this.toxiproxy.getProxy(p);
    // Leftovers of an earlier, killed run of this experiment would make Toxiproxy answer 409.
    const leftovers = (await this.toxiproxy.brinkToxics()).filter((n) => n.split('/')[1]!.startsWith(`${BRINK_TOXIC_PREFIX}${x.id}-`));
    for (const l of leftovers) {
      const [proxy, name] = l.split('/') as [string, string];
      await this.toxiproxy.removeToxic(proxy, name);
      this.note(`removed leftover toxic ${l} from an earlier run`);
    }

    this.#originMs = performance.now();
    const startedAt = new Date().toISOString();
    const totalMs = t.steadyMs + t.methodMs + t.recoverMs;
    const probes = startProbeLoop({
      call: x.probe.call,
      originMs: this.#originMs,
      concurrency: x.probe.concurrency,
      pauseMs: x.probe.pauseMs,
      timeoutMs: x.probe.timeoutMs,
      maxDurationMs: totalMs + x.probe.timeoutMs + 5_000,
      maxCalls: 2_000_000,
      onSample: (sample) => this.emit('sample', sample),
    });
    const ticker = setInterval(() => {
      const now = this.now();
      this.emit('tick', { tMs: Math.round(now), slis: computeSlis(inWindow(probes.samples, { startMs: now - 1000, endMs: now })) });
    }, 1000);

    const verdicts: HypothesisVerdict[] = [];
    const windows: Record<Phase, Window> = {
      before: { startMs: 0, endMs: t.steadyMs },
      during: { startMs: 0, endMs: 0 },
      after: { startMs: 0, endMs: 0 },
    };
    let steady = true;
    let methodStartMs = 0;
    let aborted = false;
    let completed = false;
    try {
      await x.start?.();
      this.emit('phase', { name: 'steady-state', tMs: 0 });
      await sleep(t.steadyMs, undefined, { signal });
      steady = await this.#check('before', probes.samples, windows.before, verdicts);
      if (!steady) {
        this.note('steady state not met before the method: no fault injected (Chaos Toolkit: the experiment deviated before it began)');
      } else {
        methodStartMs = this.now();
        this.mark({ tMs: Math.round(methodStartMs), kind: 'phase', label: 'method' });
        this.emit('phase', { name: 'method', tMs: Math.round(methodStartMs) });
        await this.#runMethod(methodStartMs, signal);
        const faultStart = methodStartMs + Math.min(...x.faults.map((f) => f.startMs));
        const faultStop = methodStartMs + Math.max(...x.faults.map((f) => f.stopMs));
        windows.during = { startMs: faultStart, endMs: faultStop };
        this.mark({ tMs: Math.round(this.now()), kind: 'phase', label: 'recovery' });
        this.emit('phase', { name: 'recovery', tMs: Math.round(this.now()) });
        await sleep(Math.max(0, methodStartMs + t.methodMs + t.recoverMs - this.now()), undefined, { signal });
        const end = this.now();
        windows.after = { startMs: Math.max(faultStop, end - t.afterMs), endMs: end };
      }
      completed = true;
    } catch (e) {
      if (signal.aborted) aborted = true;
      else throw e;
    } finally {
      clearInterval(ticker);
      this.emit('phase', { name: 'rollback', tMs: Math.round(this.now()) });
      await this.rollback();
      await probes.stop({ cut: !completed });
    }
    if (aborted) throw new BrinkError('ABORTED', `experiment ${x.id} interrupted; faults rolled back`);

    let timeToDetect: number | undefined;
    let timeToRecover: number | undefined;
    if (steady) {
      await this.#check('during', probes.samples, windows.during, verdicts);
      await this.#check('after', probes.samples, windows.after, verdicts);
      timeToDetect = timeToDetectMs(probes.samples, windows.during.startMs, windows.during.endMs, x.probe.slowMs);
      timeToRecover = timeToRecoverMs(probes.samples, windows.during.endMs, x.probe.slowMs, Math.min(1000, t.afterMs));
      if (timeToDetect === undefined) this.note('the fault had no visible effect on the probes (time to detect: none)');
      if (timeToRecover === undefined) this.note('the probes had not recovered stably by the end of the run (time to recover: none)');
    }
    this.emit('phase', { name: 'done', tMs: Math.round(this.now()) });
    const timeline = [...this.#timeline].sort((a, b) => a.tMs - b.tMs);
    const result: ExperimentResult = {
      experiment: x.id,
      description: x.description,
      ok: steady && verdicts.every((v) => v.ok),
      verdicts,
      timeline,
      ...(timeToDetect === undefined ? {} : { timeToDetectMs: timeToDetect }),
      ...(timeToRecover === undefined ? {} : { timeToRecoverMs: timeToRecover }),
      run: buildProbeSummary({ experimentId: x.id, samples: probes.samples, windows, timeline, startedAt, stack: this.context.stack, profile: this.context.profile ?? 'chaos', notes: this.#notes }),
      notes: this.#notes,
    };
    return result;
  }

  async #runMethod(methodStartMs: number, signal: AbortSignal): Promise<void> {
    const x = this.experiment;
    type Edge = { atMs: number; step: FaultStep; start: boolean };
    const edges: Edge[] = x.faults
      .flatMap((step) => [
        { atMs: step.startMs, step, start: true },
        { atMs: step.stopMs, step, start: false },
      ])
      .sort((a, b) => a.atMs - b.atMs || Number(a.start) - Number(b.start));
    for (const edge of edges) {
      const wait = methodStartMs + edge.atMs - this.now();
      if (wait > 0) await sleep(wait, undefined, { signal });
      if (edge.start) await this.#startFault(edge.step);
      else await this.#stopFault(edge.step, 'scheduled');
    }
  }

  async #check(phase: Phase, samples: Sample[], window: Window, out: HypothesisVerdict[]): Promise<boolean> {
    const hs = this.experiment.hypotheses.filter((h) => h.phase === phase);
    if (hs.length === 0) return true;
    const windowSamples = inWindow(samples, window);
    const slis = computeSlis(windowSamples);
    const extra = (await this.experiment.measure?.(phase, window, slis, windowSamples)) ?? {};
    const measured = { ...sliMeasurements(slis), ...extra, windowMs: Math.round(window.endMs - window.startMs) };
    let ok = true;
    for (const h of hs) {
      const v = evaluateHypothesis(h, measured);
      out.push(v);
      this.emit('verdict', v);
      ok &&= v.ok;
    }
    return ok;
  }
}
