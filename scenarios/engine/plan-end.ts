/**
 * How a run ends: at the plan's end (or when every loop is done, or on abort), then a bounded grace
 * for iterations under way (k6's gracefulStop), then whatever is left is aborted.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { EngineRun } from './engine-run.ts';

/** Abandoned iterations get this long to notice the abort before the run closes its connections. */
const AFTER_ABORT_MS = 5000;

export async function runToPlanEnd(run: EngineRun, loops: Promise<void>[], gracefulStopS: number): Promise<void> {
  const planEnd = sleep(run.plannedMs, undefined, { signal: run.inner.signal }).catch(() => undefined);
  const allDone = Promise.all(loops);
  await Promise.race([planEnd, allDone]);
  run.stopped = true;
  const graceMs = gracefulStopS * 1000;
  const graceTimer = new AbortController();
  const graceOver = sleep(graceMs, undefined, { signal: graceTimer.signal }).then(() => 'timeout' as const).catch(() => 'done' as const);
  // Read the loops again: a closed model added one per VU since.
  const outcome = await Promise.race([Promise.all(loops).then(() => 'done' as const), graceOver]);
  graceTimer.abort();
  if (outcome === 'timeout') {
    run.notes.push(`iterations still running ${graceMs / 1000}s after the plan ended were interrupted`);
    run.inner.abort();
    await Promise.race([Promise.all(loops), sleep(AFTER_ABORT_MS)]);
  }
}
