/**
 * The scenarios step: feed, search-spike and chat-burst on the baseline, then on the optimized
 * platform. A run that fails is recorded with its error (the claims that need it say why they are
 * NOT RUN) and the others go on; the step then fails, keeping the runs it made: a missing run is
 * never "complete".
 */
import { join } from 'node:path';
import { ASSESSMENT_FILES, switchesFor, type RunSummary, type Variant } from '../../core/index.ts';
import { gatewayOf, putSwitches, type AssessProfile, type RunningStack } from '../context.ts';
import { isAbort, StepFailed, type AssessStep, type StepEnv } from '../step.ts';
import type { Seeded } from './seed.ts';

export interface ScenarioRuns {
  /** The stack as the step leaves the platform: optimized again (or the variant a failed step reached). */
  stack: RunningStack;
  /** By name "<scenario>-<variant>". */
  runs: Record<string, RunSummary>;
  /** Runs that failed, by name, with the error. */
  runFailures: Record<string, string>;
}

/**
 * What load each scenario gets. The smoke assessment shortens the stress and spike plans (time
 * scale) rather than using their smoke profiles, so the runs still cross the knee the capacity
 * claims are about: feed's stress ramps arrivals to 400 req/s in ~24 s.
 */
const SCENARIO_PLANS: Record<AssessProfile, { scenario: string; profile: 'smoke' | 'load' | 'stress' | 'spike'; timeScale: number }[]> = {
  smoke: [
    { scenario: 'feed', profile: 'stress', timeScale: 0.05 },
    { scenario: 'search-spike', profile: 'spike', timeScale: 0.15 },
    { scenario: 'chat-burst', profile: 'smoke', timeScale: 1 },
  ],
  full: [
    { scenario: 'feed', profile: 'stress', timeScale: 0.25 },
    { scenario: 'search-spike', profile: 'spike', timeScale: 0.5 },
    { scenario: 'chat-burst', profile: 'load', timeScale: 0.25 },
  ],
};

export const scenariosStep: AssessStep<Seeded, ScenarioRuns> = {
  id: 'scenarios',
  title: 'feed, search-spike and chat-burst, baseline then optimized',
  needs: 'the running platform (the stack and seed steps)',
  async run(env, { stack }) {
    const made: ScenarioRuns = { stack, runs: {}, runFailures: {} };
    try {
      await runBothVariants(env, made);
    } catch (e) {
      if (isAbort(e, env.signal)) throw e;
      throw new StepFailed((e as Error).message, made);
    }
    const failed = Object.entries(made.runFailures);
    if (failed.length) throw new StepFailed(`${failed.length} scenario run(s) failed: ${failed.map(([k, v]) => `${k} (${v})`).join('; ')}`, made);
    return made;
  },
};

/** The stack as it records a platform switched to `variant` (a run's summary names its variant and switches). */
export const switchedTo = (stack: RunningStack, variant: Variant): RunningStack => ({ ...stack, platform: { ...stack.platform, variant, switches: switchesFor(variant) } });

/** Fills `made` (the step's own record) as the runs end, so a step that fails still hands on what it made. */
async function runBothVariants(env: StepEnv, made: ScenarioRuns): Promise<void> {
  const { runScenario } = await import('../../scenarios/index.ts');
  const seeded = made.stack;
  const gateway = gatewayOf(seeded);
  for (const variant of ['baseline', 'optimized'] as const) {
    await putSwitches(gateway, switchesFor(variant));
    made.stack = switchedTo(seeded, variant);
    for (const plan of SCENARIO_PLANS[env.settings.profile]) {
      const name = `${plan.scenario}-${variant}`;
      const outDir = join(env.outDir, ASSESSMENT_FILES.runs, name);
      try {
        const run = await runScenario({ scenario: plan.scenario, engine: env.settings.engine, profile: plan.profile, timeScale: plan.timeScale, outDir, stack: made.stack, signal: env.signal, variant });
        made.runs[name] = run;
        env.note(`${name} (${plan.profile} x${plan.timeScale}): ${run.totals.requests} requests, ${run.totals.ratePerSec.toFixed(0)} req/s, P99 ${run.totals.latencyMs.p99.toFixed(1)} ms, errors ${(run.totals.errorRate * 100).toFixed(2)}%, thresholds ${run.status}`);
      } catch (e) {
        if (env.signal.aborted) throw e;
        made.runFailures[name] = (e as Error).message;
        env.note(`${name} failed: ${(e as Error).message}`);
      }
    }
  }
  await putSwitches(gateway, switchesFor('optimized'));
  made.stack = switchedTo(seeded, 'optimized');
}
