/**
 * One side of a comparison, read from disk: a repeated run (a directory with repeats.json and
 * repeat-1 … repeat-N) or a single run directory. Each repetition's per-second histograms
 * (windows.json) are merged into windows of windowS seconds; a run written before windows.json
 * existed falls back to its 1 s time series (P50 and P99 as recorded, not re-merged).
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { createHistogram, decode, invalidInput, merge, percentileMs } from '../../core/index.ts';
import { readRunDir } from '../load.ts';
import type { RunEntry } from '../types.ts';

export const REPEATS_FILE = 'repeats.json';
export const WINDOWS_FILE = 'windows.json';

export interface WindowValue {
  tMs: number;
  seconds: number;
  requests: number;
  errors: number;
  p50Ms: number;
  p99Ms: number;
}

export interface Repetition {
  entry: RunEntry;
  windows: WindowValue[];
  source: 'histograms' | 'time series';
}

export interface CompareSide {
  label: string;
  dir: string;
  repetitions: Repetition[];
}

interface SecondRecord { tMs: number; requests: number; errors: number; hist?: string }

export function readSide(dir: string, role: 'base' | 'head', windowS: number): CompareSide {
  const label = `${role} ${basename(resolve(dir))}`;
  const problems: string[] = [];
  const dirs = repetitionDirs(dir, role);
  const repetitions = dirs.map((d, i) => {
    const entry = readRunDir(d, dirs.length === 1 ? label : `${label} #${i + 1}`, problems);
    if (!entry) throw invalidInput(`--compare ${role} "${dir}" is not a readable run directory: ${problems.join('; ')}`);
    return { entry, ...windowsOf(d, entry, windowS) };
  });
  return { label, dir, repetitions };
}

function repetitionDirs(dir: string, role: string): string[] {
  const index = join(dir, REPEATS_FILE);
  if (!existsSync(index)) return [dir];
  let runs: unknown;
  try {
    runs = (JSON.parse(readFileSync(index, 'utf8')) as { runs?: unknown }).runs;
  } catch (e) {
    throw invalidInput(`--compare ${role} "${dir}": ${REPEATS_FILE} is not valid JSON (${(e as Error).message})`);
  }
  if (!Array.isArray(runs) || runs.length === 0 || runs.some((r) => typeof (r as { dir?: unknown })?.dir !== 'string')) {
    throw invalidInput(`--compare ${role} "${dir}": ${REPEATS_FILE} lists no finished repetition`);
  }
  return runs.map((r) => join(dir, (r as { dir: string }).dir));
}

function windowsOf(dir: string, entry: RunEntry, windowS: number): Pick<Repetition, 'windows' | 'source'> {
  const seconds = readSeconds(join(dir, WINDOWS_FILE));
  if (!seconds) {
    const windows = entry.summary.timeSeries
      .filter((p) => p.requests > 0)
      .map((p) => ({ tMs: p.tMs, seconds: 1, requests: p.requests, errors: p.errors, p50Ms: p.p50Ms, p99Ms: p.p99Ms }));
    return { windows, source: 'time series' };
  }
  const bySec = new Map(seconds.map((s) => [Math.round(s.tMs / 1000), s]));
  const last = Math.max(-1, ...bySec.keys());
  const count = Math.max(1, Math.floor((last + 1) / windowS));
  const windows: WindowValue[] = [];
  for (let w = 0; w < count; w++) {
    const span = count === 1 ? Math.max(windowS, last + 1) : windowS;
    const h = createHistogram();
    let requests = 0;
    let errors = 0;
    for (let sec = w * windowS; sec < w * windowS + span; sec++) {
      const s = bySec.get(sec);
      if (!s) continue;
      requests += s.requests;
      errors += s.errors;
      if (s.hist) merge(h, decode(s.hist));
    }
    if (requests === 0) continue;
    windows.push({ tMs: w * windowS * 1000, seconds: span, requests, errors, p50Ms: h.totalCount ? percentileMs(h, 50) : 0, p99Ms: h.totalCount ? percentileMs(h, 99) : 0 });
  }
  return { windows, source: 'histograms' };
}

function readSeconds(file: string): SecondRecord[] | null {
  if (!existsSync(file)) return null;
  try {
    const j = JSON.parse(readFileSync(file, 'utf8')) as { seconds?: unknown };
    return Array.isArray(j.seconds) && j.seconds.length > 0 ? (j.seconds as SecondRecord[]) : null;
  } catch {
    return null; // unreadable: the time series is the fallback, and the notes say which was used
  }
}
