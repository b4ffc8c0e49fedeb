/**
 * Starts ONE real local stack for the whole integration run and hands its state to every test
 * file (`inject('stack')`). Set BRINK_TEST_STACK=path/to/stack.json to reuse a stack that is
 * already running (e.g. from `brink stack up --no-platform`) while iterating.
 */
import type { TestProject } from 'vitest/node';
import { readStackState, startStack, stopStack, type StackState } from '../stack/index.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    stack: StackState;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const reuse = process.env.BRINK_TEST_STACK;
  const t0 = Date.now();
  const state = reuse ? readStackState(reuse) : await startStack({ provider: 'local' });
  if (!reuse) process.stderr.write(`[global-stack] local stack up in ${Date.now() - t0} ms (${state.dir})\n`);
  project.provide('stack', state);
  return async () => {
    if (!reuse) await stopStack(state);
  };
}
