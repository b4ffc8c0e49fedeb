/**
 * Runs the steps the pipeline hands it, one at a time, and keeps the record: each step is timed,
 * announced and written to assessment.json. A failed step is recorded and the rest go on, except
 * an essential one (no stack or no data: nothing after can run) and an interrupt, which end the
 * assessment. A step left out by `only` is not run and not announced; a step whose input an
 * earlier step left out fails with the reason.
 */
import type { EventEmitter } from 'node:events';
import { BrinkError, type AssessmentMeta } from '../core/index.ts';
import { isAbort, StepFailed, type AssessStep, type StepEnv, type StepOutcome } from './step.ts';

export interface AssessEvents {
  step: [{ index: number; total: number; id: string; title: string }];
  'step-done': [{ id: string; status: 'ok' | 'failed' | 'skipped'; durationMs: number; error?: string }];
  note: [string];
}

export interface StepRunnerOptions {
  env: StepEnv;
  events: EventEmitter<AssessEvents>;
  meta: AssessmentMeta;
  writeMeta(): void;
  /** Every step id in the order the pipeline runs them (for "step 3 of 7"). */
  order: readonly string[];
  /** Only these step ids, for debugging; default all. */
  only?: readonly string[];
}

export class StepRunner {
  readonly #o: StepRunnerOptions;
  readonly #total: number;
  #index = 0;
  #failed = false;

  constructor(o: StepRunnerOptions) {
    this.#o = o;
    this.#total = o.order.filter((id) => this.#selected(id)).length;
  }

  /** Whether a step has failed so far (then the assessment is not complete). */
  get failed(): boolean {
    return this.#failed;
  }

  /** Runs the step on its input (undefined: an earlier step that makes it was left out). Undefined when the step itself is left out. */
  async step<In, Out>(step: AssessStep<In, Out>, input: In | undefined): Promise<StepOutcome<Out> | undefined> {
    const { env, events, meta } = this.#o;
    if (!this.#selected(step.id)) return undefined;
    if (env.signal.aborted) throw new BrinkError('ABORTED', 'interrupted');
    events.emit('step', { index: ++this.#index, total: this.#total, id: step.id, title: step.title });
    const t0 = Date.now();
    if (step.final) {
      // The report reads assessment.json: say now whether everything before it went well.
      meta.complete = !this.#failed;
      meta.finishedAt = new Date().toISOString();
      this.#o.writeMeta();
    }
    try {
      if (input === undefined) throw new BrinkError('INVALID_INPUT', `the ${step.id} step needs ${step.needs ?? 'the output of an earlier step'}, which was left out`);
      const value = await step.run(env, input);
      meta.steps.push({ name: step.id, status: 'ok', durationMs: Date.now() - t0 });
      events.emit('step-done', { id: step.id, status: 'ok', durationMs: Date.now() - t0 });
      return { ok: true, value };
    } catch (e) {
      const error = (e as Error).message;
      meta.steps.push({ name: step.id, status: 'failed', durationMs: Date.now() - t0, error });
      events.emit('step-done', { id: step.id, status: 'failed', durationMs: Date.now() - t0, error });
      if (isAbort(e, env.signal)) throw e;
      this.#failed = true;
      if (step.essential) throw e;
      return { ok: false, error, ...(e instanceof StepFailed ? { partial: e.partial as Out } : {}) };
    } finally {
      this.#o.writeMeta();
    }
  }

  #selected(id: string): boolean {
    return !this.#o.only || this.#o.only.includes(id);
  }
}
