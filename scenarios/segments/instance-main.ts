/**
 * One engine process of `brink run --instances N`: reads its options (a JSON file the parent
 * wrote: scenario, segment i/N, run id, target, prepared setup data…), runs its segment and exits
 * with k6's codes. SIGINT aborts the segment, which still writes what it gathered (exit 105).
 */
import { readFileSync } from 'node:fs';
import { exitCodeOf, isBrinkError } from '../../core/index.ts';
import type { RunScenarioOptions } from '../options.ts';
import { runScenario } from '../run.ts';

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
  await runScenario({ ...options, signal: ac.signal });
  process.exit(0);
} catch (e) {
  process.stderr.write(`brink: ${isBrinkError(e) ? e.toLine() : ((e as Error)?.stack ?? String(e))}\n`);
  process.exit(exitCodeOf(e));
}
