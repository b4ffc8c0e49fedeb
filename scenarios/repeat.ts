/**
 * `--repeat N`: the same plan N times, one after the other, each repetition a complete run
 * directory (`repeat-1` … `repeat-N`, with its summary and per-second histograms) under one
 * directory that also holds `repeats.json`, the index `brink report --compare` reads. Each
 * repetition is a fresh runScenario: a new engine, so new connections and new tokens. One run on a
 * noisy machine is an anecdote; N of them are a sample a rank test can judge.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { BrinkError, STATE_DIR, invalidInput, type RunSummary } from '../core/index.ts';
import { runScenario } from './run.ts';
import { newRunId } from './run-card.ts';
import type { RunScenarioOptions } from './options.ts';
import type { ScenarioEvents } from './types.ts';

export const REPEATS_FILE = 'repeats.json';
export const MAX_REPEAT = 50;

export interface RepeatsIndex {
  schemaVersion: 1;
  kind: 'repeats';
  scenario: string;
  profile: string;
  engine: string;
  repetitions: number;
  runs: Array<{ dir: string; status: RunSummary['status']; requests: number; p99Ms: number }>;
}

export interface RepeatedRun {
  dir: string;
  summaries: RunSummary[];
}

export async function runRepeated(input: RunScenarioOptions, repeat: number, events?: ScenarioEvents): Promise<RepeatedRun> {
  if (!Number.isInteger(repeat) || repeat < 1 || repeat > MAX_REPEAT) throw invalidInput(`--repeat "${repeat}" is not a whole number from 1 to ${MAX_REPEAT}`);
  const dir = resolve(input.outDir ?? join(STATE_DIR, 'runs', `${newRunId(input.scenario, input.profile ?? 'smoke', input.engine ?? 'node')}-x${repeat}`));
  mkdirSync(dir, { recursive: true });
  const summaries: RunSummary[] = [];
  const index: RepeatsIndex = {
    schemaVersion: 1, kind: 'repeats', scenario: input.scenario, profile: input.profile ?? 'smoke', engine: input.engine ?? 'node', repetitions: repeat, runs: [],
  };
  const write = () => writeFileSync(join(dir, REPEATS_FILE), JSON.stringify(index, null, 2));
  for (let i = 1; i <= repeat; i++) {
    if (input.signal?.aborted) break;
    const sub = `repeat-${i}`;
    events?.emit('note', `repetition ${i} of ${repeat}`);
    try {
      const s = await runScenario({ ...input, outDir: join(dir, sub) }, events);
      summaries.push(s);
      index.runs.push({ dir: sub, status: s.status, requests: s.totals.requests, p99Ms: s.totals.latencyMs.p99 });
      write();
    } catch (e) {
      // An interrupted repetition keeps its partial directory; the index lists what finished.
      if (e instanceof BrinkError && e.code === 'ABORTED') {
        write();
        throw new BrinkError('ABORTED', `repeated run interrupted in repetition ${i} of ${repeat}; finished repetitions in ${dir}`, { cause: e });
      }
      throw e;
    }
  }
  write();
  return { dir, summaries };
}
