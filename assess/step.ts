/**
 * One step of an assessment: a function from what the steps before it produced to what it
 * produces (assess/pipeline.ts threads them). Nothing is shared between steps but these outputs;
 * what every step may use besides its input (the settings, the directory, a way to say what it did
 * and to register what must be undone at the end) is in StepEnv, and none of it is step data.
 */
import { BrinkError } from '../core/index.ts';
import type { ScaleName } from '../reference-system/index.ts';
import type { AssessProfile } from './context.ts';

export interface AssessSettings {
  profile: AssessProfile;
  scale: ScaleName;
  engine: 'k6' | 'node';
  seed?: number;
  /** Only these claim probes (ids), for debugging; default all. */
  probes?: string[];
}

export interface StepEnv {
  readonly settings: AssessSettings;
  /** The assessment directory every file is written under. */
  readonly outDir: string;
  readonly signal: AbortSignal;
  note(message: string): void;
  /**
   * Registers the undo of something a step just set up (a stack, a platform, switches to put
   * back, a pool). Registered the moment it is set up, so a step that fails half-way leaves
   * nothing behind; run when the assessment ends, whatever happens (assess/cleanup.ts).
   */
  defer(undo: () => Promise<void>): void;
}

export interface AssessStep<In, Out> {
  readonly id: string;
  readonly title: string;
  /** Without its output nothing after can run (stack, data): its failure ends the assessment. */
  readonly essential?: boolean;
  /** Runs last and reads what the others wrote (the report), so it is told first whether all went well. */
  readonly final?: boolean;
  /** What the step takes from the steps before it, for the error when they were left out ("only"). */
  readonly needs?: string;
  run(env: StepEnv, input: In): Promise<Out>;
}

/**
 * A step that failed after making part of its output (some scenario runs, some claims): the step
 * is recorded as failed, and the steps after it still get what it made.
 */
export class StepFailed<Out> extends Error {
  constructor(
    message: string,
    readonly partial: Out,
  ) {
    super(message);
    this.name = 'StepFailed';
  }
}

/** The input of a step that needs nothing from the others (the report reads the files they wrote). */
export type NoInput = Record<string, never>;

/** An interrupt: it ends the assessment, never just the step. */
export const isAbort = (e: unknown, signal: AbortSignal): boolean => signal.aborted || (e instanceof BrinkError && e.code === 'ABORTED');

/** How a step ended: its output, or its error and whatever part of its output it made. */
export type StepOutcome<Out> = { ok: true; value: Out } | { ok: false; error: string; partial?: Out };

/** The output to go on with: the whole of it, or the part a failed step made. */
export function outputOf<Out>(outcome: StepOutcome<Out> | undefined): Out | undefined {
  if (!outcome) return undefined;
  return outcome.ok ? outcome.value : outcome.partial;
}
