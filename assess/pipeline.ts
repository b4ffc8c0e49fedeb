/**
 * The assessment's steps in order, each given what the steps before it produced: the stack, then
 * the data and the platform on it, the audits, the scenario runs, the claims measured on them,
 * chaos, and the report over the files they all wrote. The runner (assess/step-runner.ts) records
 * each; here is only what flows from one step to the next.
 */
import type { ClaimResult } from '../core/index.ts';
import type { StackState } from '../stack/index.ts';
import { outputOf } from './step.ts';
import type { StepRunner } from './step-runner.ts';
import { auditStep } from './steps/audit.ts';
import { chaosStep } from './steps/chaos.ts';
import { claimsInput, claimsStep } from './steps/claims.ts';
import { reportStep } from './steps/report.ts';
import { scenariosStep } from './steps/scenarios.ts';
import { seedStep } from './steps/seed.ts';
import { stackStep } from './steps/stack.ts';

/** In the order runPipeline runs them. */
export const ASSESS_STEPS = [stackStep, seedStep, auditStep, scenariosStep, claimsStep, chaosStep, reportStep] as const;

export interface PipelineResult {
  /** The claims table as far as it was measured (empty when the claims step did not run). */
  claims: ClaimResult[];
  reportHtml?: string;
}

/** Runs every step in order; the stack and seed steps are essential, so past them their outputs exist unless left out by "only". */
export async function runPipeline(run: StepRunner, handedIn: StackState | undefined): Promise<PipelineResult> {
  const ready = outputOf(await run.step(stackStep, { handedIn }));
  const seeded = outputOf(await run.step(seedStep, ready));
  await run.step(auditStep, seeded);
  const scenarios = await run.step(scenariosStep, seeded);
  const measuredOn = seeded && claimsInput(seeded, scenarios);
  const claims = outputOf(await run.step(claimsStep, measuredOn));
  await run.step(chaosStep, measuredOn && { stack: measuredOn.stack });
  const report = await run.step(reportStep, {});
  return { claims: claims ?? [], ...(report?.ok ? { reportHtml: report.value } : {}) };
}
