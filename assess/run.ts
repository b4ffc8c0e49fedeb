/**
 * brink assess: one command takes the stack through a whole assessment, baseline and optimized,
 * and writes one report. Steps run in order; each is timed and recorded in assessment.json; a
 * failed step is recorded and the rest go on; an interrupt stops at once, puts the platform's
 * switches back (or stops the stack it started), removes toxics, and keeps what was gathered,
 * marked incomplete. The runner emits events; the CLI displays them.
 */
import { EventEmitter } from 'node:events';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ASSESSMENT_FILES, BrinkError, STATE_DIR, type AssessmentMeta, type ClaimResult } from '../core/index.ts';
import { stopPlatformProcess, stopStack, removeStackState, type StackState } from '../stack/index.ts';
import type { ScaleName } from '../reference-system/index.ts';
import { putSwitches, type AssessProfile } from './context.ts';
import { gitShaOf } from './git.ts';
import { clearBrinkToxics } from './toxics.ts';
import { ASSESS_STEPS, type AssessState } from './steps.ts';

export interface AssessOptions {
  profile: AssessProfile;
  scale: ScaleName;
  outDir?: string;
  engine?: 'k6' | 'node';
  seed?: number;
  /** A running stack to use (tests); its platform is started and stopped by the assessment if it has none. */
  stack?: StackState;
  /** Only these steps (ids), for debugging; default all. */
  only?: string[];
  /** Only these claim probes (ids), for debugging; default all. */
  probes?: string[];
  signal?: AbortSignal;
}

export interface AssessEvents {
  step: [{ index: number; total: number; id: string; title: string }];
  'step-done': [{ id: string; status: 'ok' | 'failed' | 'skipped'; durationMs: number; error?: string }];
  note: [string];
}

export interface AssessResult {
  outDir: string;
  meta: AssessmentMeta;
  claims: ClaimResult[];
  reportHtml?: string;
}

export async function runAssessment(opts: AssessOptions, events: EventEmitter<AssessEvents> = new EventEmitter()): Promise<AssessResult> {
  const outDir = resolve(opts.outDir ?? join(STATE_DIR, 'assessments', new Date().toISOString().replace(/[:.]/g, '-')));
  mkdirSync(outDir, { recursive: true });
  const signal = opts.signal ?? new AbortController().signal;
  const meta: AssessmentMeta = {
    title: `brink assessment (${opts.profile} profile, ${opts.scale} data)`,
    startedAt: new Date().toISOString(),
    profile: opts.profile,
    scale: opts.scale,
    complete: false,
    steps: [],
    gitSha: gitShaOf(),
  };
  const writeMeta = () => writeFileSync(join(outDir, ASSESSMENT_FILES.meta), `${JSON.stringify(meta, null, 2)}\n`);
  writeMeta();

  const state: AssessState = { opts: { ...opts, engine: opts.engine ?? 'node' }, runFailures: {}, failedSteps: {}, ...(opts.stack ? { stack: opts.stack } : {}), outDir, signal, runs: {}, claims: [], notes: [], note: (m) => events.emit('note', m) };
  const steps = ASSESS_STEPS.filter((s) => !opts.only || opts.only.includes(s.id));
  let failed = false;
  try {
    for (const [i, step] of steps.entries()) {
      if (signal.aborted) throw new BrinkError('ABORTED', 'interrupted');
      events.emit('step', { index: i + 1, total: steps.length, id: step.id, title: step.title });
      const t0 = Date.now();
      if (step.final) {
        // The report reads assessment.json: say now whether everything before it went well.
        meta.complete = !failed;
        meta.finishedAt = new Date().toISOString();
        writeMeta();
      }
      try {
        await step.run(state);
        meta.steps.push({ name: step.id, status: 'ok', durationMs: Date.now() - t0 });
        events.emit('step-done', { id: step.id, status: 'ok', durationMs: Date.now() - t0 });
      } catch (e) {
        const error = (e as Error).message;
        meta.steps.push({ name: step.id, status: 'failed', durationMs: Date.now() - t0, error });
        state.failedSteps[step.id] = error;
        events.emit('step-done', { id: step.id, status: 'failed', durationMs: Date.now() - t0, error });
        if (signal.aborted || (e instanceof BrinkError && e.code === 'ABORTED')) throw e;
        failed = true;
        // Without a stack or data nothing after can run.
        if (step.essential) throw e;
      } finally {
        writeMeta();
      }
    }
    meta.complete = !failed;
  } finally {
    await restore(state).catch((e: Error) => state.notes.push(`restoring the stack failed: ${e.message}`));
    meta.finishedAt = new Date().toISOString();
    writeMeta();
  }
  return { outDir, meta, claims: state.claims, ...(state.reportHtml ? { reportHtml: state.reportHtml } : {}) };
}

/** Leaves the stack as it was found: toxics removed, switches back, or the stack we started stopped. */
async function restore(state: AssessState): Promise<void> {
  if (state.stack?.urls.toxiproxy) await clearBrinkToxics(state.stack.urls.toxiproxy).catch(() => undefined);
  if (state.db) await state.db.end().catch(() => undefined);
  if (state.startedStack && state.stack) {
    await stopStack(state.stack);
    removeStackState();
  } else if (state.startedPlatform && state.stack?.platform) {
    await stopPlatformProcess(state.stack);
    delete state.stack.platform;
  } else if (state.stack?.platform && state.switchesBefore) {
    await putSwitches(state.stack.platform.services.gateway!, state.switchesBefore);
  }
}
