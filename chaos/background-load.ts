/**
 * Load from a scenario while an experiment runs (`brink chaos run --scenario`): the scenario's
 * profile with brink's Node engine, started again each time it ends, until the signal aborts it.
 * A short profile (smoke: ten seconds) therefore covers an experiment of any length; the soak
 * profile covers it in one run. Each run writes its own directory under outDir.
 */
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { unknownName, type RunSummary } from '../core/index.ts';
import type { StackState } from '../stack/index.ts';

/** Profiles a background load may use (the others ramp: they do not hold a steady background). */
export const BACKGROUND_PROFILES = ['smoke', 'soak'] as const;
export type BackgroundProfile = (typeof BACKGROUND_PROFILES)[number];

export interface BackgroundLoadOptions {
  scenario: string;
  profile: BackgroundProfile;
  stack: StackState;
  signal: AbortSignal;
  /** Each run goes to <outDir>/<scenario>-<n>. */
  outDir: string;
  /** At most this many runs (bounds the loop whatever happens). */
  maxRuns?: number;
}

export interface BackgroundLoadResult {
  scenario: string;
  profile: BackgroundProfile;
  runs: number;
  requests: number;
  errors: number;
  /** Why a run ended other than by the abort (a failure of the load itself, not of the platform). */
  failure?: string;
  runDirs: string[];
}

export async function checkBackgroundScenario(scenario: string, profile: string): Promise<BackgroundProfile> {
  const { SCENARIOS } = await import('../scenarios/index.ts');
  if (!SCENARIOS.has(scenario)) throw unknownName('scenario', scenario, SCENARIOS.ids());
  if (!(BACKGROUND_PROFILES as readonly string[]).includes(profile)) throw unknownName('scenario profile', profile, BACKGROUND_PROFILES);
  return profile as BackgroundProfile;
}

/** Runs the scenario again and again until the signal aborts; resolves with the totals (never rejects). */
export async function runBackgroundLoad(o: BackgroundLoadOptions): Promise<BackgroundLoadResult> {
  const { runScenario } = await import('../scenarios/index.ts');
  const result: BackgroundLoadResult = { scenario: o.scenario, profile: o.profile, runs: 0, requests: 0, errors: 0, runDirs: [] };
  const add = (s: RunSummary | undefined) => {
    if (!s) return;
    result.requests += s.totals.requests;
    result.errors += s.totals.errors;
  };
  const maxRuns = o.maxRuns ?? 1000;
  // The scenario reads its users from the stack's Postgres URL; point it at the platform's database
  // (a test platform runs on a database of its own, not the URL's default).
  const u = new URL(o.stack.urls.postgres);
  u.pathname = `/${o.stack.database}`;
  const stack: StackState = { ...o.stack, urls: { ...o.stack.urls, postgres: u.toString() } };
  while (!o.signal.aborted && result.runs < maxRuns) {
    const outDir = join(o.outDir, `${o.scenario}-${result.runs + 1}`);
    result.runDirs.push(outDir);
    result.runs++;
    try {
      add(await runScenario({ scenario: o.scenario, engine: 'node', profile: o.profile, stack, signal: o.signal, outDir }));
    } catch (e) {
      // An abort ends the loop with the partial run's counts; anything else is the load's own failure.
      add((e as { details?: { summary?: RunSummary } }).details?.summary);
      if (!o.signal.aborted) result.failure = (e as Error).message;
      break;
    }
  }
  return result;
}

/** Removes the run directories a background load wrote (an interrupted experiment keeps nothing). */
export function removeBackgroundRuns(r: Pick<BackgroundLoadResult, 'runDirs'>): void {
  for (const d of r.runDirs) if (existsSync(d)) rmSync(d, { recursive: true, force: true });
}
