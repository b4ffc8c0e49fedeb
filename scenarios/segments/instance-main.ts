/**
 * One engine process of `brink run --instances N`: reads its options (a JSON file the parent
 * wrote: scenario, segment i/N, run id, target, prepared setup data…), runs its segment and exits
 * with k6's codes. SIGINT aborts the segment, which still writes what it gathered (exit 105).
 * Its progress ticks go to the parent over the IPC channel the parent opened.
 */
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { exitCodeOf, isBrinkError } from '../../core/index.ts';
import type { RunScenarioOptions } from '../options.ts';
import { runScenario } from '../run.ts';
import type { ScenarioEventMap } from '../types.ts';
import type { InstanceTickMessage } from './progress.ts';

const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: instance-main.ts OPTIONS.json\n');
  process.exit(104);
}
const ac = new AbortController();
process.on('SIGINT', () => ac.abort());
process.on('SIGTERM', () => ac.abort());
try {
  const options = JSON.parse(readFileSync(file, 'utf8')) as RunScenarioOptions;
  // Progress ticks go to the parent over IPC (when it opened a channel): it shows one line for all.
  const events = new EventEmitter<ScenarioEventMap>();
  if (process.send) events.on('tick', (tick) => process.send?.({ type: 'brink-progress', tick } satisfies InstanceTickMessage));
  await runScenario({ ...options, signal: ac.signal }, events);
  process.exit(0);
} catch (e) {
  process.stderr.write(`brink: ${isBrinkError(e) ? e.toLine() : ((e as Error)?.stack ?? String(e))}\n`);
  process.exit(exitCodeOf(e));
}
