/**
 * What an experiment plug-in is: one file per experiment under chaos/experiments/, exporting an
 * ExperimentDescriptor, listed once in chaos/experiments/index.ts. The descriptor states its
 * timing per profile as data; prepare() builds the parts that need the stack (probe target,
 * faults, hypotheses, measurements), and prepareExperiment() puts the two together into the
 * runner's PreparedExperiment.
 */
import type { StackState } from '../stack/index.ts';
import type { ToxiproxyClient } from '../stack/index.ts';
import type { PreparedExperiment, Timing } from './experiment.ts';
import type { RunnerHooks } from './journal.ts';

export type { RunnerHooks } from './journal.ts';

export const CHAOS_PROFILES = ['smoke', 'load'] as const;
export type ChaosProfile = (typeof CHAOS_PROFILES)[number];

export interface PrepareContext {
  stack: StackState;
  toxiproxy: ToxiproxyClient;
  profile: ChaosProfile;
  /** The descriptor's timing for this profile (fault offsets are placed inside its methodMs). */
  timing: Timing;
  /** The run's clock and timeline; it exists before the runner does. */
  hooks: RunnerHooks;
}

/** What prepare() builds: the id, the description and the profile's timing come from the descriptor. */
export type ExperimentParts = Omit<PreparedExperiment, 'id' | 'description' | 'timing'>;

export interface ExperimentDescriptor {
  id: string;
  description: string;
  /** Claim ids from the assessments catalog this experiment measures (NF-5, LC-1…). */
  claimIds: string[];
  /** Toxiproxy proxies it acts on (checked before anything starts). */
  proxies: string[];
  /** "Reproduce this outage" by hand: brink commands, one per line (RECIPES.md shows them). */
  recipe: string[];
  /** How long each phase lasts, per profile. */
  timing: Record<ChaosProfile, Timing>;
  prepare(ctx: PrepareContext): Promise<ExperimentParts>;
}

/** The runnable experiment of a descriptor for a profile: the one place a profile's timing is read. */
export async function prepareExperiment(descriptor: ExperimentDescriptor, ctx: Omit<PrepareContext, 'timing'>): Promise<PreparedExperiment> {
  const timing = descriptor.timing[ctx.profile];
  const parts = await descriptor.prepare({ ...ctx, timing });
  return { id: descriptor.id, description: descriptor.description, timing, ...parts };
}
