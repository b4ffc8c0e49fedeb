/**
 * The stack step: the stack to assess, taken one of three ways (handed in by a test, the one
 * `brink stack up` left running, or started here), with the undo that leaves it as it was found.
 */
import { join } from 'node:path';
import pg from 'pg';
import { BrinkError, type Switches } from '../../core/index.ts';
import { readStackState, readStackStateFile, removeStackState, startStack, stopStack, writeStackState, type StackState } from '../../stack/index.ts';
import { gatewayOf, hasPlatform, putSwitches } from '../context.ts';
import { clearBrinkToxics } from '../toxics.ts';
import type { AssessStep, StepEnv } from '../step.ts';

export interface StackInput {
  /** A running stack to use (tests), instead of the running one or a new one. */
  handedIn: StackState | undefined;
}

export interface StackReady {
  /** As found: the platform may not run yet (the seed step starts it after the data). */
  stack: StackState;
  /** Direct to Postgres (not PgBouncer): the dataset check, then the probes' EXPLAIN and statistics. */
  db: pg.Pool;
  /** Started by this assessment, which then also stops it. */
  owned: boolean;
  /** The state file the platform child reads (the default one unless the stack was handed in). */
  stateFile?: string;
}

export const stackStep: AssessStep<StackInput, StackReady> = {
  id: 'stack',
  title: 'start the local stack (or use the running one)',
  essential: true,
  async run(env, { handedIn }) {
    const existing = handedIn ? undefined : readStackStateFile();
    const stack = handedIn ?? (existing ? readStackState() : await startStack({ provider: 'local', signal: env.signal }));
    const owned = !handedIn && !existing;
    const switchesBefore = stack.platform ? { ...stack.platform.switches } : undefined;
    env.defer(() => leaveAsFound(stack, owned, switchesBefore));
    if (owned) writeStackState(stack);
    if (existing) useRunning(env, stack);
    // A stack handed in (tests): the platform child reads it from a state file of its own.
    const stateFile = handedIn ? join(env.outDir, 'stack-state.json') : undefined;
    if (stateFile) writeStackState(stack, stateFile);
    const db = new pg.Pool({ connectionString: stack.urls.postgres, max: 4 });
    env.defer(() => db.end().catch(() => undefined));
    return { stack, db, owned, ...(stateFile ? { stateFile } : {}) };
  },
};

function useRunning(env: StepEnv, stack: StackState): void {
  if (!stack.platform) throw new BrinkError('INVALID_INPUT', 'a stack is running without the platform', { suggestion: 'run "brink stack down" and let assess start its own, or "brink stack up"' });
  env.note(`using the running stack (${stack.dir || stack.provider})`);
}

/**
 * Toxics removed first (one left on a gateway->service hop could fail the switches request), then
 * the stack stopped if this assessment started it, else the running platform's switches put back.
 */
async function leaveAsFound(stack: StackState, owned: boolean, switchesBefore: Switches | undefined): Promise<void> {
  if (stack.urls.toxiproxy) await clearBrinkToxics(stack.urls.toxiproxy).catch(() => undefined);
  if (owned) {
    await stopStack(stack);
    removeStackState();
  } else if (switchesBefore && hasPlatform(stack)) {
    await putSwitches(gatewayOf(stack), switchesBefore);
  }
}
