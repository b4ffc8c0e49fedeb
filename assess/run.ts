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
import { ASSESSMENT_FILES, STATE_DIR, type AssessmentMeta, type ClaimResult } from '../core/index.ts';
import type { StackState } from '../stack/index.ts';
import type { ScaleName } from '../reference-system/index.ts';
import type { AssessProfile } from './context.ts';
import { Cleanup } from './cleanup.ts';
import { gitShaOf } from './git.ts';
import { ASSESS_STEPS, runPipeline, type PipelineResult } from './pipeline.ts';
import type { StepEnv } from './step.ts';
import { StepRunner, type AssessEvents } from './step-runner.ts';

export type { AssessEvents } from './step-runner.ts';

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

  const cleanup = new Cleanup();
  const env: StepEnv = {
    settings: { profile: opts.profile, scale: opts.scale, engine: opts.engine ?? 'node', ...(opts.seed !== undefined ? { seed: opts.seed } : {}), ...(opts.probes ? { probes: opts.probes } : {}) },
    outDir,
    signal,
    note: (m) => events.emit('note', m),
    defer: (undo) => cleanup.add(undo),
  };
  const runner = new StepRunner({ env, events, meta, writeMeta, order: ASSESS_STEPS.map((s) => s.id), ...(opts.only ? { only: opts.only } : {}) });
  try {
    const result: PipelineResult = await runPipeline(runner, opts.stack);
    meta.complete = !runner.failed;
    return { outDir, meta, claims: result.claims, ...(result.reportHtml ? { reportHtml: result.reportHtml } : {}) };
  } finally {
    // Leaves the stack as it was found: toxics removed, switches back, or what we started stopped.
    for (const e of await cleanup.run()) events.emit('note', `restoring the stack failed: ${e.message}`);
    meta.finishedAt = new Date().toISOString();
    writeMeta();
  }
}
