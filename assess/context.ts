/**
 * What a claim probe is given: the running stack and platform, a way to flip switches (indexes
 * included) and put them back, a direct Postgres pool for EXPLAIN and statistics, the dataset's
 * description, tokens minted with the platform's secret (never through the rate-limited login).
 */
import pg from 'pg';
import { BrinkError } from '../core/index.ts';
import type { PlatformState, StackState } from '../stack/index.ts';
import type { Switches } from '../core/index.ts';
import type { RunSummary } from '../core/index.ts';
import { putSwitches, type DatasetInfo, signAccessToken } from '../reference-system/index.ts';

export type AssessProfile = 'smoke' | 'full';

export interface AssessContext {
  stack: RunningStack;
  gateway: string;
  profile: AssessProfile;
  dataset: DatasetInfo;
  /** Direct to Postgres (not PgBouncer): EXPLAIN, pg_stat_statements. */
  db: pg.Pool;
  signal: AbortSignal;
  /** Scenario runs made earlier in the assessment, by name "<scenario>-<variant>". */
  runs: Record<string, RunSummary>;
  /** Scenario runs that failed, by name, with why: claims that need them say so (NOT RUN). */
  runFailures: Record<string, string>;
  /** The assessment directory: a probe that makes a run of its own writes it under probes/. */
  outDir?: string;
  switches(): Switches;
  setSwitches(changes: Partial<Switches>): Promise<void>;
  /** Runs fn with the switches changed, then puts them back whatever happens. */
  withSwitches<T>(changes: Partial<Switches>, fn: () => Promise<T>): Promise<T>;
  token(userId: number): Promise<string>;
  log(message: string): void;
}

/** The platform's switches client, re-exported for the probes that import it from here. */
export { putSwitches };

/** A stack with the reference platform running on it, as the seed step leaves it. */
export type RunningStack = StackState & { platform: PlatformState };

export const hasPlatform = (stack: StackState): stack is RunningStack => stack.platform !== undefined;

/** The platform's gateway, which every switch is set through. */
export function gatewayOf(stack: RunningStack): string {
  const gateway = stack.platform.services.gateway;
  if (!gateway) throw new BrinkError('STACK_NOT_RUNNING', 'the reference platform has no gateway');
  return gateway;
}

export function createContext(opts: {
  stack: RunningStack;
  profile: AssessProfile;
  dataset: DatasetInfo;
  db: pg.Pool;
  signal: AbortSignal;
  runs: Record<string, RunSummary>;
  runFailures: Record<string, string>;
  outDir: string;
  log: (m: string) => void;
}): AssessContext {
  const platform = opts.stack.platform;
  let current = { ...platform.switches };
  const gateway = gatewayOf(opts.stack);
  const setSwitches = async (changes: Partial<Switches>) => {
    current = await putSwitches(gateway, changes);
  };
  return {
    stack: opts.stack,
    gateway,
    profile: opts.profile,
    dataset: opts.dataset,
    db: opts.db,
    signal: opts.signal,
    runs: opts.runs,
    runFailures: opts.runFailures,
    outDir: opts.outDir,
    switches: () => ({ ...current }),
    setSwitches,
    withSwitches: async (changes, fn) => {
      const before = Object.fromEntries(Object.keys(changes).map((k) => [k, current[k as keyof Switches]])) as Partial<Switches>;
      await setSwitches(changes);
      try {
        return await fn();
      } finally {
        await setSwitches(before);
      }
    },
    token: (userId) => signAccessToken(platform.jwtSecret, userId),
    log: opts.log,
  };
}
