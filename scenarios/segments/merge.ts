/**
 * `brink merge`: segment results (brink's segment.json, or k6's CSV files from a TestRun's runner
 * pods) into one RunSummary. Counts are summed, percentiles come from merged HDR histograms (never
 * averaged), seconds are aligned on their offset from each part's start, and the scenario's
 * thresholds are evaluated once on the merged data. Parts that do not belong together (another
 * run id, scenario, profile or plan; a segment twice or missing) are refused, naming both.
 */
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { invalidInput, RUN_FILES, type RunCard, type RunSummary } from '../../core/index.ts';
import { phasesOf } from '../engine/engine.ts';
import { mergeStates, type Recorder } from '../engine/recorder.ts';
import { planFor } from '../k6/lib/plans.js';
import { SCENARIOS } from '../registry.ts';
import { gitSha, machineInfo } from '../run-card.ts';
import { notesFor } from '../run.ts';
import { evaluateThresholds, parseThresholds, readThresholdsSpec } from '../thresholds.ts';
import type { ThresholdsSpec } from '../types.ts';
import { identifyK6Csv, recordK6Csv } from './k6-csv.ts';
import { readSegmentResult, SEGMENT_FILE, type SegmentResult } from './result.ts';

export interface MergeOptions {
  /** Run directories, directories holding them (any depth), or k6 CSV files / directories of them. */
  inputs: string[];
  outDir: string;
  /** Replaces the thresholds the segments carry (k6 syntax, a file or JSON). */
  thresholds?: string;
}

export interface Merged {
  summary: RunSummary;
  histograms: Record<string, string>;
  parts: string[];
}

/** Finds segment.json files and *.csv files under the inputs. */
export function findParts(inputs: string[]): { segments: string[]; csv: string[] } {
  const segments: string[] = [];
  const csv: string[] = [];
  const walk = (p: string, depth: number) => {
    const st = statSync(p);
    if (st.isFile()) {
      if (p.endsWith('.csv')) csv.push(p);
      else if (p.endsWith(SEGMENT_FILE)) segments.push(p);
      return;
    }
    if (existsSync(join(p, SEGMENT_FILE))) return void segments.push(join(p, SEGMENT_FILE));
    if (depth >= 3) return;
    for (const name of readdirSync(p).sort()) walk(join(p, name), depth + 1);
  };
  for (const input of inputs) {
    if (!existsSync(input)) throw invalidInput(`merge input "${input}" does not exist; expected a segment run directory or a k6 CSV file`);
    walk(resolve(input), 0);
  }
  if (segments.length > 0 && csv.length > 0) throw invalidInput(`merge inputs mix brink segments (${segments[0]}) and k6 CSV files (${csv[0]}); merge one kind at a time`);
  if (segments.length === 0 && csv.length === 0) throw invalidInput(`no segment results (${SEGMENT_FILE}) or k6 CSV files under ${inputs.join(', ')}; run \`brink run --segment i/N\` first`);
  return { segments: segments.sort(), csv: csv.sort() };
}

/** Refuses segment results that are not the N parts of one run. */
export function checkBelongTogether(parts: Array<{ file: string; r: SegmentResult }>): void {
  const [first, ...rest] = parts;
  if (!first) throw invalidInput('no segment results to merge');
  const same = (what: string, get: (r: SegmentResult) => unknown) => {
    for (const p of rest) {
      if (JSON.stringify(get(p.r)) !== JSON.stringify(get(first.r))) {
        throw invalidInput(`segment results do not belong together: ${what} ${JSON.stringify(get(p.r))} in ${p.file} but ${JSON.stringify(get(first.r))} in ${first.file}`);
      }
    }
  };
  same('run id', (r) => r.runId);
  same('scenario', (r) => r.scenario);
  same('profile', (r) => r.profile);
  same('plan', (r) => `${r.planHash} (time scale ${r.timeScale})`);
  same('thresholds', (r) => r.thresholds);
  same('segment count', (r) => r.segment.count);
  const n = first.r.segment.count;
  const seen = new Map<number, string>();
  for (const p of parts) {
    const other = seen.get(p.r.segment.index);
    if (other) throw invalidInput(`segment ${p.r.segment.index}/${n} appears twice: ${other} and ${p.file}`);
    seen.set(p.r.segment.index, p.file);
  }
  const missing = Array.from({ length: n }, (_, i) => i + 1).filter((i) => !seen.has(i));
  if (missing.length > 0) throw invalidInput(`segments ${missing.map((i) => `${i}/${n}`).join(', ')} of run ${first.r.runId} are missing; pass every segment's result (${parts.length} of ${n} given)`);
}

function summarize(rec: Recorder, durationMs: number, thresholdSpec: ThresholdsSpec, card: RunCard, notes: string[], aborted: boolean): { summary: RunSummary; histograms: Record<string, string> } {
  const parsed = parseThresholds(thresholdSpec);
  const f = rec.finish(durationMs);
  // Windowed thresholds (`over 30s`) are judged on the merged per-second series.
  const thresholds = evaluateThresholds(parsed, rec.lookup, f.windows, durationMs);
  const failed = thresholds.some((t) => !t.ok);
  const summary: RunSummary = {
    schemaVersion: 1,
    card: { ...card, durationMs: Math.round(durationMs) },
    status: aborted ? 'aborted' : failed ? 'failed' : 'passed',
    totals: f.totals,
    endpoints: f.endpoints,
    phases: f.phases,
    metrics: f.metrics,
    timeSeries: f.timeSeries,
    thresholds,
    timeline: f.phases.map((p) => ({ tMs: p.startMs, kind: 'phase' as const, label: p.name })),
    counters: f.counters,
    notes: [...notesFor(f.counters), ...notes],
  };
  return { summary, histograms: f.histograms };
}

export function mergeSegmentResults(parts: Array<{ file: string; r: SegmentResult }>, thresholds?: ThresholdsSpec): { summary: RunSummary; histograms: Record<string, string> } {
  checkBelongTogether(parts);
  const sorted = [...parts].sort((a, b) => a.r.segment.index - b.r.segment.index);
  const first = sorted[0]!.r;
  const rec = mergeStates(sorted.map((p) => p.r.state), first.phaseDefs);
  const durationMs = Math.max(...sorted.map((p) => p.r.state.durationMs));
  const startedAt = sorted.map((p) => p.r.card.startedAt).sort()[0]!;
  const { segment: _s, ...card } = first.card;
  const notes = [
    `merged ${sorted.length} segments of run ${first.runId}; thresholds evaluated once on the merged histograms`,
    ...sorted.flatMap((p) => p.r.notes.map((n) => `segment ${p.r.segment.index}/${p.r.segment.count}: ${n}`)),
  ];
  return summarize(rec, durationMs, thresholds ?? first.thresholds, { ...card, runId: first.runId, startedAt, merged: { parts: sorted.length, from: 'brink-segments' } }, notes, sorted.some((p) => p.r.status === 'aborted'));
}

export async function mergeK6Csv(files: string[], thresholds?: ThresholdsSpec): Promise<{ summary: RunSummary; histograms: Record<string, string> }> {
  const ids = await Promise.all(files.map(async (file) => ({ file, id: await identifyK6Csv(file) })));
  const first = ids[0]!;
  for (const p of ids.slice(1)) {
    for (const k of ['runId', 'scenario', 'profile', 'timeScale'] as const) {
      if (p.id[k] !== first.id[k]) throw invalidInput(`k6 CSV files do not belong together: ${k} "${p.id[k]}" in ${p.file} but "${first.id[k]}" in ${first.file}`);
    }
  }
  const scenario = SCENARIOS.get(first.id.scenario);
  const plan = planFor(scenario.planKey, first.id.profile, first.id.timeScale);
  const spec = thresholds ?? plan.thresholds;
  const parsed = parseThresholds(spec);
  const t0S = Math.min(...ids.map((p) => p.id.firstTimestampS));
  const { recorder, durationMs } = await recordK6Csv(files, t0S, phasesOf(plan), parsed.map((p) => p.metric));
  const card: RunCard = {
    runId: first.id.runId,
    scenario: scenario.id,
    profile: first.id.profile,
    engine: 'k6',
    engineVersion: 'k6 (the user\'s own, on a k6-operator TestRun; merged from CSV output)',
    gitSha: gitSha(),
    variant: 'unknown',
    switches: {},
    dataset: 'unknown',
    target: 'unknown',
    machine: machineInfo(),
    startedAt: new Date(t0S * 1000).toISOString(),
    durationMs,
    timeScale: first.id.timeScale,
    merged: { parts: files.length, from: 'k6-csv' },
  };
  return summarize(recorder, durationMs, spec, card, [`merged ${files.length} k6 CSV files of run ${first.id.runId}; thresholds evaluated once on the merged histograms`], false);
}

/** Finds, checks and merges the parts, and writes the merged run directory. */
export async function mergeRun(o: MergeOptions): Promise<Merged> {
  const { segments, csv } = findParts(o.inputs);
  const thresholds = o.thresholds === undefined ? undefined : readThresholdsSpec(o.thresholds);
  const merged = segments.length > 0
    ? mergeSegmentResults(segments.map((file) => ({ file, r: readSegmentResult(file) })), thresholds)
    : await mergeK6Csv(csv, thresholds);
  const outDir = resolve(o.outDir);
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, RUN_FILES.summary), JSON.stringify(merged.summary, null, 2));
  writeFileSync(join(outDir, RUN_FILES.histograms), JSON.stringify(merged.histograms));
  writeFileSync(join(outDir, 'run-card.json'), JSON.stringify(merged.summary.card, null, 2));
  if (thresholds) writeFileSync(join(outDir, 'thresholds.json'), JSON.stringify(thresholds, null, 2));
  return { ...merged, parts: segments.length > 0 ? segments : csv };
}
