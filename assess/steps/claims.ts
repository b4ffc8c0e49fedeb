/**
 * The claims step: each claim measured by its probe (assess/probes/), toggling the one switch it is
 * about. claims.json is rewritten as each probe ends, so an interrupted assessment keeps what was
 * measured. A probe that fails turns its claims into NOT RUN with its error, and the step fails.
 */
import { join } from 'node:path';
import type pg from 'pg';
import { ASSESSMENT_FILES, type ClaimResult, type RunSummary } from '../../core/index.ts';
import type { DatasetInfo } from '../../reference-system/index.ts';
import { CLAIMS } from '../claims-catalog.ts';
import { createContext, type RunningStack } from '../context.ts';
import { runProbes, type ProbeOutcome } from '../probe-runner.ts';
import { PROBES } from '../probes/index.ts';
import { isAbort, outputOf, StepFailed, type AssessStep, type StepEnv, type StepOutcome } from '../step.ts';
import type { ScenarioRuns } from './scenarios.ts';
import type { Seeded } from './seed.ts';
import { writeJson } from './write-json.ts';

export interface ClaimsInput {
  stack: RunningStack;
  db: pg.Pool;
  dataset: DatasetInfo;
  /** The scenario runs made, by name "<scenario>-<variant>". */
  runs: Record<string, RunSummary>;
  /** Why a run is missing, by name; '*' for every run when the scenarios step failed. */
  runFailures: Record<string, string>;
}

type Measured = Map<string, Omit<ClaimResult, 'claim'>>;

/**
 * What the claims are measured on: the data, and the runs the scenarios step made. When that step
 * failed, '*' gives its error as the reason for any run it did not make (those claims are NOT RUN,
 * never judged on a partial set); when it was left out there are simply no runs.
 */
export function claimsInput(seeded: Seeded, scenarios: StepOutcome<ScenarioRuns> | undefined): ClaimsInput {
  const made = outputOf(scenarios) ?? { stack: seeded.stack, runs: {}, runFailures: {} };
  const wholeStep: Record<string, string> = scenarios && !scenarios.ok ? { '*': `the scenarios step failed: ${scenarios.error}` } : {};
  return { ...seeded, stack: made.stack, runs: made.runs, runFailures: { ...wholeStep, ...made.runFailures } };
}

/** The claims table: every catalogued claim, with what its probe measured or NOT RUN and why. */
export function claimTable(measured: ReadonlyMap<string, Omit<ClaimResult, 'claim'>>): ClaimResult[] {
  return CLAIMS.map((c) => ({ claim: c.claim, ...(measured.get(c.id) ?? { id: c.id, method: '-', measured: '-', verdict: 'NOT RUN' as const, reason: 'no probe measures this claim yet' }) }));
}

export const claimsStep: AssessStep<ClaimsInput, ClaimResult[]> = {
  id: 'claims',
  title: 'measure each claim by toggling its switch',
  needs: 'the running platform and its data (the stack and seed steps)',
  async run(env, input) {
    const measured: Measured = new Map();
    const file = join(env.outDir, ASSESSMENT_FILES.claims);
    let claims: ClaimResult[] = [];
    const save = () => {
      claims = claimTable(measured);
      writeJson(file, claims);
    };
    try {
      const failures = await measureAll(env, input, measured, save);
      save();
      if (failures.length) throw new StepFailed(`${failures.length} claim probe(s) failed: ${failures.join('; ')}`, claims);
    } catch (e) {
      if (e instanceof StepFailed || isAbort(e, env.signal)) throw e;
      throw new StepFailed((e as Error).message, claims);
    }
    return claims;
  },
};

/** Runs the profile's probes (background ones beside the rest: assess/probe-runner.ts); returns the failed ones. */
async function measureAll(env: StepEnv, input: ClaimsInput, measured: Measured, save: () => void): Promise<string[]> {
  const { profile, probes: only } = env.settings;
  const ctx = createContext({ ...input, profile, signal: env.signal, outDir: env.outDir, log: env.note });
  const probes = PROBES.all().filter((p) => p.profiles.includes(profile) && (!only || only.includes(p.id)));
  const failures: string[] = [];
  await runProbes(probes, ctx, (outcome) => {
    const failure = record(outcome, measured, env.note);
    if (failure) failures.push(failure);
    save();
  });
  return failures;
}

/** Puts a probe's outcome into the table (a failed probe's claims NOT RUN with its error); returns the failure, if any. */
function record({ probe, results, error, ms }: ProbeOutcome, measured: Measured, note: (m: string) => void): string | undefined {
  if (error) {
    for (const id of probe.claimIds) measured.set(id, { id, method: probe.description, measured: '-', verdict: 'NOT RUN', reason: `the probe failed: ${error.message}` });
    note(`${probe.id} failed: ${error.message}`);
    return `${probe.id} (${error.message})`;
  }
  for (const r of results ?? []) measured.set(r.id, r);
  note(`${probe.id}: ${probe.claimIds.map((id) => `${id} ${measured.get(id)?.verdict ?? '-'}`).join(', ')} (${(ms / 1000).toFixed(1)} s)`);
  return undefined;
}
