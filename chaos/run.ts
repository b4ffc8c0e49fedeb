/**
 * runExperiment: an experiment from the registry, prepared for a stack and profile, run with the
 * runner. The caller (CLI, assess, tests) listens to the runner's events through onRunner and
 * passes an AbortSignal; the rollback runs whatever happens.
 */
import { ExperimentRunner } from './experiment.ts';
import { ToxiproxyClient } from '../stack/index.ts';
import { CHAOS_PROFILES, prepareExperiment, type ChaosProfile } from './descriptor.ts';
import { RunJournal } from './journal.ts';
import { EXPERIMENTS } from './experiments/index.ts';
import { unknownName, type ExperimentResult } from '../core/index.ts';
import type { StackState } from '../stack/index.ts';
import { checkBackgroundScenario, removeBackgroundRuns, runBackgroundLoad, type BackgroundLoadResult } from './background-load.ts';

export interface RunExperimentOptions {
  experiment: string;
  stack: StackState;
  profile?: string;
  /** Toxiproxy's API; defaults to the stack's. */
  toxiproxyUrl?: string;
  signal?: AbortSignal;
  /** Called with the runner before it starts, to subscribe to its events. */
  onRunner?: (runner: ExperimentRunner) => void;
  /**
   * A load scenario run during the whole experiment (brink chaos run --scenario), started before
   * the steady state and stopped after the recovery; its runs go under load.outDir (removed when
   * the experiment is interrupted).
   */
  load?: { scenario: string; profile?: string; outDir: string };
  /** Called with the background load's totals once it has stopped. */
  onLoad?: (load: BackgroundLoadResult) => void;
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
  // The journal (clock, timeline, notes) comes first: prepare() hands it to what records its own
  // events, and the runner built from prepare()'s output then writes to the same one.
  const journal = new RunJournal();
  const loadProfile = opts.load ? await checkBackgroundScenario(opts.load.scenario, opts.load.profile ?? 'soak') : undefined;
  const prepared = await prepareExperiment(descriptor, { stack: opts.stack, toxiproxy, profile, hooks: journal });
  const runner = new ExperimentRunner(prepared, toxiproxy, { stack: opts.stack, profile, journal });
  opts.onRunner?.(runner);
  if (!opts.load || !loadProfile) {
    const result = await runner.run(opts.signal);
    return { ...result, claimIds: [...descriptor.claimIds], notes: [`claims: ${descriptor.claimIds.join(', ')}`, ...result.notes] };
  }
  // The load has its own abort: it stops when the experiment ends, whichever way it ends.
  const loadAc = new AbortController();
  const onAbort = () => loadAc.abort();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  const load = runBackgroundLoad({ scenario: opts.load.scenario, profile: loadProfile, stack: opts.stack, signal: loadAc.signal, outDir: opts.load.outDir });
  let result: ExperimentResult;
  try {
    result = await runner.run(opts.signal);
  } catch (e) {
    loadAc.abort();
    const totals = await load;
    opts.onLoad?.(totals);
    removeBackgroundRuns(totals);
    throw e;
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
  }
  loadAc.abort();
  const totals = await load;
  opts.onLoad?.(totals);
  const loadNote = `during the experiment, scenario ${totals.scenario} (${totals.profile}, Node engine) ran ${totals.runs} time(s): ${totals.requests} requests, ${totals.errors} errors${totals.failure ? `; the load itself failed: ${totals.failure}` : ''}`;
  return { ...result, claimIds: [...descriptor.claimIds], notes: [`claims: ${descriptor.claimIds.join(', ')}`, ...result.notes, loadNote] };
}
