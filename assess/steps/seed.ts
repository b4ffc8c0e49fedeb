/** The seed step: the dataset asked for, then the platform started on it if none runs yet. */
import type pg from 'pg';
import { switchesFor } from '../../core/index.ts';
import { startPlatformProcess, stopPlatformProcess, writeStackState } from '../../stack/index.ts';
import { readDatasetInfo, seed, type DatasetInfo } from '../../reference-system/index.ts';
import { hasPlatform, type RunningStack } from '../context.ts';
import type { AssessStep, StepEnv } from '../step.ts';
import type { StackReady } from './stack.ts';

export interface Seeded {
  stack: RunningStack;
  /** Direct to Postgres (the stack step's pool). */
  db: pg.Pool;
  dataset: DatasetInfo;
}

export const seedStep: AssessStep<StackReady, Seeded> = {
  id: 'seed',
  title: 'seed deterministic data',
  essential: true,
  needs: 'the stack (the stack step)',
  async run(env, ready) {
    const dataset = await ensureData(env, ready);
    const stack = hasPlatform(ready.stack) ? ready.stack : await startPlatform(env, ready);
    return { stack, db: ready.db, dataset };
  },
};

/** The data already there when it is the scale (and seed, if one was given) asked for; else seeded now. */
async function ensureData(env: StepEnv, ready: StackReady): Promise<DatasetInfo> {
  const { scale, seed: wanted } = env.settings;
  const current = await readDatasetInfo(ready.db);
  if (current && current.scale === scale && (wanted === undefined || current.seed === wanted)) {
    env.note(`data already seeded (${current.scale}, seed ${current.seed})`);
    return current;
  }
  const r = await seed(ready.stack.urls.postgres, { scale, seed: wanted ?? 1 });
  env.note(`seeded ${r.info.posts.toLocaleString('en')} posts in ${(r.totalMs / 1000).toFixed(1)} s`);
  return r.info;
}

/** Started after seeding so the platform's caches never hold rows of an earlier dataset. */
async function startPlatform(env: StepEnv, ready: StackReady): Promise<RunningStack> {
  const platform = await startPlatformProcess(ready.stack, { variant: 'optimized', switches: switchesFor('optimized'), signal: env.signal, stateFile: ready.stateFile });
  // A stack this assessment started lists the platform among its processes, as `brink stack down` expects.
  const processes = ready.owned ? [...ready.stack.processes, { name: 'platform', pid: platform.pid }] : ready.stack.processes;
  const stack: RunningStack = { ...ready.stack, processes, platform };
  env.defer(() => stopPlatformProcess(stack));
  if (ready.owned) writeStackState(stack);
  return stack;
}
