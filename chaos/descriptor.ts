/**
 * What an experiment plug-in is: one file per experiment under chaos/experiments/, exporting an
 * ExperimentDescriptor, listed once in chaos/experiments/index.ts. prepare() turns it into a
 * PreparedExperiment for a given stack and profile (probe target, faults, hypotheses, timing).
 */
import type { TimelineEvent } from '../core/index.ts';
import type { StackState } from '../stack/index.ts';
import type { ToxiproxyClient } from '../stack/index.ts';
import type { PreparedExperiment } from './experiment.ts';

export const CHAOS_PROFILES = ['smoke', 'load'] as const;
export type ChaosProfile = (typeof CHAOS_PROFILES)[number];

/** The runner's clock and timeline, for experiments that record their own events (breakers). */
export interface RunnerHooks {
  now(): number;
  mark(event: TimelineEvent): void;
  note(message: string): void;
}

export interface PrepareContext {
  stack: StackState;
  toxiproxy: ToxiproxyClient;
  profile: ChaosProfile;
  hooks: RunnerHooks;
}

export interface ExperimentDescriptor {
  id: string;
  description: string;
  /** Claim ids from the assessments catalog this experiment measures (NF-5, LC-1…). */
  claimIds: string[];
  /** Toxiproxy proxies it acts on (checked before anything starts). */
  proxies: string[];
  /** "Reproduce this outage" by hand: brink commands, one per line (RECIPES.md shows them). */
  recipe: string[];
  prepare(ctx: PrepareContext): Promise<PreparedExperiment>;
}
