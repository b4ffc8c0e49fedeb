/**
 * runExperiment: an experiment from the registry, prepared for a stack and profile, run with the
 * runner. The caller (CLI, assess, tests) listens to the runner's events through onRunner and
 * passes an AbortSignal; the rollback runs whatever happens.
 */
import { ExperimentRunner } from './experiment.ts';
import { ToxiproxyClient } from './client.ts';
import { CHAOS_PROFILES, type ChaosProfile } from './descriptor.ts';
import { EXPERIMENTS } from './experiments/index.ts';
import { unknownName, type ExperimentResult } from '../core/index.ts';
import type { StackState } from '../stack/types.ts';

export interface RunExperimentOptions {
  experiment: string;
  stack: StackState;
  profile?: string;
  /** Toxiproxy's API; defaults to the stack's. */
  toxiproxyUrl?: string;
  signal?: AbortSignal;
  /** Called with the runner before it starts, to subscribe to its events. */
  onRunner?: (runner: ExperimentRunner) => void;
}

export function parseChaosProfile(value: string): ChaosProfile {
  if (!(CHAOS_PROFILES as readonly string[]).includes(value)) throw unknownName('profile', value, CHAOS_PROFILES);
  return value as ChaosProfile;
}

export async function runExperiment(opts: RunExperimentOptions): Promise<ExperimentResult> {
  const descriptor = EXPERIMENTS.get(opts.experiment);
  const profile = parseChaosProfile(opts.profile ?? 'smoke');
  const toxiproxy = new ToxiproxyClient(opts.toxiproxyUrl ?? opts.stack.urls.toxiproxy);
  // Fail on an unreachable Toxiproxy or a missing proxy before preparing anything.
  const names = (await toxiproxy.listProxies()).map((p) => p.name);
  for (const p of descriptor.proxies) if (!p.startsWith('brink-') && !names.includes(p)) throw unknownName('proxy', p, names);
  let runner: ExperimentRunner | undefined;
  const hooks = {
    now: () => runner?.now() ?? 0,
    mark: (e: Parameters<ExperimentRunner['mark']>[0]) => runner?.mark(e),
    note: (m: string) => runner?.note(m),
  };
  const prepared = await descriptor.prepare({ stack: opts.stack, toxiproxy, profile, hooks });
  runner = new ExperimentRunner(prepared, toxiproxy, { stack: opts.stack, profile });
  opts.onRunner?.(runner);
  const result = await runner.run(opts.signal);
  return { ...result, notes: [`claims: ${descriptor.claimIds.join(', ')}`, ...result.notes] };
}
