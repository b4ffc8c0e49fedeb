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
 * ExperimentResult; it never prints. Its clock, timeline and notes are a RunJournal, which may be
 * created before the runner (and handed to the experiment's prepare()).
 */
import { EventEmitter } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { BrinkError, type ExperimentResult, type HypothesisVerdict, type TimelineEvent } from '../core/index.ts';
import type { StackState } from '../stack/index.ts';
import type { ToxiproxyClient } from '../stack/index.ts';
import { evaluateHypothesis, type Hypothesis, type Measurements, type Phase } from './hypothesis.ts';
import { startProbeLoop, type ProbeCall, type ProbeLoop } from './probe.ts';
import { computeSlis, inWindow, timeToDetectMs, timeToRecoverMs, type Sample, type Slis, type Window } from './slis.ts';
import { BRINK_TOXIC_PREFIX } from '../stack/index.ts';
import { buildProbeSummary } from './summary.ts';
import { afterWindow, faultDetails, faultEdges, faultLabel, faultWindow, type FaultStep } from './faults.ts';
import { RunJournal } from './journal.ts';

export type { FaultAction, FaultStep } from './faults.ts';

export interface Timing {
  steadyMs: number;
  /** Length of the method: faults are scheduled inside [0, methodMs). */
  methodMs: number;
  recoverMs: number;
  /** The 'after' hypotheses look at the last afterMs of the recovery. */
  afterMs: number;
}

export interface ProbeSpec {
  call: ProbeCall;
  concurrency: number;
  pauseMs: number;
  timeoutMs: number;
  /** A call slower than this counts as an effect of the fault (time to detect / recover). */
  slowMs: number;
}

/** The prepared, runnable form of an experiment (built from an experiment descriptor by prepareExperiment()). */
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

/** What the phases leave for the verdicts: whether the steady state held, and the three windows. */
interface PhaseOutcome {
  steady: boolean;
  windows: Record<Phase, Window>;
  verdicts: HypothesisVerdict[];
}

function sliMeasurements(slis: Slis): Measurements {
  return { ...slis };
}

export class ExperimentRunner extends EventEmitter<RunnerEvents> {
  /** Faults in force right now, so rollback knows exactly what to undo. */
  readonly #active = new Map<string, FaultStep>();
  readonly journal: RunJournal;

  constructor(
    readonly experiment: PreparedExperiment,
    readonly toxiproxy: ToxiproxyClient,
    readonly context: { stack?: StackState; variant?: string; profile?: string; journal?: RunJournal } = {},
  ) {
    super();
    this.journal = context.journal ?? new RunJournal();
    this.journal.on('mark', (event) => {
      if (event.kind === 'fault-start' || event.kind === 'fault-stop') this.emit('fault', event);
    });
    this.journal.on('note', (message) => this.emit('note', message));
  }

  get timeline(): TimelineEvent[] {
    return this.journal.timeline;
  }

  note(message: string): void {
    this.journal.note(message);
  }

  /** Adds an event to the timeline (experiments use it for breaker changes and their own marks). */
  mark(event: TimelineEvent): void {
    this.journal.mark(event);
  }

  now(): number {
    return this.journal.now();
  }

  toxicName(step: FaultStep): string {
    return `${BRINK_TOXIC_PREFIX}${this.experiment.id}-${step.id}`;
  }

  async #startFault(step: FaultStep): Promise<void> {
    const a = step.action;
    // Register before the call: if the call half-succeeds and we are interrupted, rollback still undoes it.
    this.#active.set(step.id, step);
    if (a.kind === 'toxic') await this.toxiproxy.addToxic(step.proxy, this.toxicName(step), a.toxic);
    else if (a.kind === 'disable') await this.toxiproxy.setEnabled(step.proxy, false);
    else await a.start();
    this.mark({ tMs: Math.round(this.now()), kind: 'fault-start', label: faultLabel(step), details: faultDetails(step) });
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
    for (const n of this.experiment.notes ?? []) this.note(n);
    await this.#checkProxies();
    await this.#removeLeftovers();
    const originMs = this.journal.startClock();
    const startedAt = new Date().toISOString();
    const probes = this.#startProbes(originMs);
    const outcome = await this.#runPhases(probes, signal);
    const times = outcome.steady ? await this.#judge(probes.samples, outcome) : {};
    this.emit('phase', { name: 'done', tMs: Math.round(this.now()) });
    const x = this.experiment;
    const timeline = [...this.journal.timeline].sort((a, b) => a.tMs - b.tMs);
    const notes = this.journal.notes;
    return {
      experiment: x.id,
      description: x.description,
      ok: outcome.steady && outcome.verdicts.every((v) => v.ok),
      verdicts: outcome.verdicts,
      timeline,
      ...times,
      run: buildProbeSummary({ experimentId: x.id, samples: probes.samples, windows: outcome.windows, timeline, startedAt, stack: this.context.stack, profile: this.context.profile ?? 'chaos', notes }),
      notes,
    };
  }

  /** Validates every proxy before anything starts: unknown names fail here, with the valid list. */
  async #checkProxies(): Promise<void> {
    for (const p of new Set(this.experiment.faults.filter((f) => f.action.kind !== 'custom').map((f) => f.proxy))) await this.toxiproxy.getProxy(p);
  }

  /** Leftovers of an earlier, killed run of this experiment would make Toxiproxy answer 409. */
  async #removeLeftovers(): Promise<void> {
    const prefix = `${BRINK_TOXIC_PREFIX}${this.experiment.id}-`;
    const leftovers = (await this.toxiproxy.brinkToxics()).filter((n) => n.split('/')[1]!.startsWith(prefix));
    for (const l of leftovers) {
      const [proxy, name] = l.split('/') as [string, string];
      await this.toxiproxy.removeToxic(proxy, name);
      this.note(`removed leftover toxic ${l} from an earlier run`);
    }
  }

  #startProbes(originMs: number): ProbeLoop {
    const { probe, timing: t } = this.experiment;
    return startProbeLoop({
      call: probe.call,
      originMs,
      concurrency: probe.concurrency,
      pauseMs: probe.pauseMs,
      timeoutMs: probe.timeoutMs,
      maxDurationMs: t.steadyMs + t.methodMs + t.recoverMs + probe.timeoutMs + 5_000,
      maxCalls: 2_000_000,
      onSample: (sample) => this.emit('sample', sample),
    });
  }

  /** A tick a second with the SLIs of the last second, for live displays. */
  #startTicker(samples: Sample[]): ReturnType<typeof setInterval> {
    return setInterval(() => {
      const now = this.now();
      this.emit('tick', { tMs: Math.round(now), slis: computeSlis(inWindow(samples, { startMs: now - 1000, endMs: now })) });
    }, 1000);
  }

  /** Steady state, then (if it held) method and recovery; rollback and the probes' stop always. */
  async #runPhases(probes: ProbeLoop, signal: AbortSignal): Promise<PhaseOutcome> {
    const t = this.experiment.timing;
    const ticker = this.#startTicker(probes.samples);
    const windows = { before: { startMs: 0, endMs: t.steadyMs }, during: { startMs: 0, endMs: 0 }, after: { startMs: 0, endMs: 0 } };
    const outcome: PhaseOutcome = { steady: true, windows, verdicts: [] };
    let aborted = false;
    let completed = false;
    try {
      await this.experiment.start?.();
      this.emit('phase', { name: 'steady-state', tMs: 0 });
      await sleep(t.steadyMs, undefined, { signal });
      outcome.steady = await this.#check('before', probes.samples, outcome.windows.before, outcome.verdicts);
      if (outcome.steady) Object.assign(outcome.windows, await this.#methodAndRecovery(signal));
      else this.note('steady state not met before the method: no fault injected (Chaos Toolkit: the experiment deviated before it began)');
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
    if (aborted) throw new BrinkError('ABORTED', `experiment ${this.experiment.id} interrupted; faults rolled back`);
    return outcome;
  }

  /** The method, then the recovery; returns the 'during' and 'after' windows they produced. */
  async #methodAndRecovery(signal: AbortSignal): Promise<{ during: Window; after: Window }> {
    const x = this.experiment;
    const methodStartMs = this.now();
    this.mark({ tMs: Math.round(methodStartMs), kind: 'phase', label: 'method' });
    this.emit('phase', { name: 'method', tMs: Math.round(methodStartMs) });
    await this.#runMethod(methodStartMs, signal);
    const during = faultWindow(x.faults, methodStartMs);
    this.mark({ tMs: Math.round(this.now()), kind: 'phase', label: 'recovery' });
    this.emit('phase', { name: 'recovery', tMs: Math.round(this.now()) });
    await sleep(Math.max(0, methodStartMs + x.timing.methodMs + x.timing.recoverMs - this.now()), undefined, { signal });
    return { during, after: afterWindow(during.endMs, this.now(), x.timing.afterMs) };
  }

  async #runMethod(methodStartMs: number, signal: AbortSignal): Promise<void> {
    for (const edge of faultEdges(this.experiment.faults)) {
      const wait = methodStartMs + edge.atMs - this.now();
      if (wait > 0) await sleep(wait, undefined, { signal });
      if (edge.start) await this.#startFault(edge.step);
      else await this.#stopFault(edge.step, 'scheduled');
    }
  }

  /** The 'during' and 'after' verdicts (added to the outcome's), time to detect and time to recover. */
  async #judge(samples: Sample[], outcome: PhaseOutcome): Promise<{ timeToDetectMs?: number; timeToRecoverMs?: number }> {
    const { during, after } = outcome.windows;
    const { probe, timing } = this.experiment;
    await this.#check('during', samples, during, outcome.verdicts);
    await this.#check('after', samples, after, outcome.verdicts);
    const timeToDetect = timeToDetectMs(samples, during.startMs, during.endMs, probe.slowMs);
    const timeToRecover = timeToRecoverMs(samples, during.endMs, probe.slowMs, Math.min(1000, timing.afterMs));
    if (timeToDetect === undefined) this.note('the fault had no visible effect on the probes (time to detect: none)');
    if (timeToRecover === undefined) this.note('the probes had not recovered stably by the end of the run (time to recover: none)');
    return {
      ...(timeToDetect === undefined ? {} : { timeToDetectMs: timeToDetect }),
      ...(timeToRecover === undefined ? {} : { timeToRecoverMs: timeToRecover }),
    };
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
