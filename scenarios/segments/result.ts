/**
 * A segment's result file (segment.json, beside summary.json in its run directory): who it belongs
 * to (run id, scenario, profile, a hash of the plan, the thresholds) and everything it recorded
 * with every HDR histogram encoded (hdr-histogram-js), so `brink merge` can combine segments
 * exactly: counts summed, percentiles from merged histograms, seconds aligned.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { invalidInput, type RunCard, type RunStatus } from '../../core/index.ts';
import type { PhaseDef, RecorderState } from '../engine/recorder.ts';
import type { Plan } from '../k6/lib/plans.js';
import type { ThresholdsSpec } from '../types.ts';
import type { SegmentId } from './stripe.ts';

export const SEGMENT_FILE = 'segment.json';

export interface SegmentResult {
  kind: 'brink-segment';
  version: 1;
  /** Shared by every segment of one run (`--run-id`); merge refuses parts of different runs. */
  runId: string;
  scenario: string;
  profile: string;
  timeScale: number;
  /** sha256 of the plan's executor config (and chat parameters): the same plan, to the stage. */
  planHash: string;
  thresholds: ThresholdsSpec;
  segment: SegmentId;
  phaseDefs: PhaseDef[];
  card: RunCard;
  status: RunStatus;
  notes: string[];
  state: RecorderState;
}

export function planHash(plan: Plan): string {
  return createHash('sha256').update(JSON.stringify({ scenario: plan.scenario, chat: plan.chat ?? null })).digest('hex').slice(0, 16);
}

export function writeSegmentResult(dir: string, r: SegmentResult): void {
  writeFileSync(join(dir, SEGMENT_FILE), JSON.stringify(r));
}

export function readSegmentResult(file: string): SegmentResult {
  let r: Partial<SegmentResult>;
  try {
    r = JSON.parse(readFileSync(file, 'utf8')) as Partial<SegmentResult>;
  } catch (e) {
    throw invalidInput(`${file} is not a readable segment result: ${(e as Error).message}`);
  }
  if (r.kind !== 'brink-segment' || r.version !== 1 || !r.state || !r.segment || typeof r.runId !== 'string') {
    throw invalidInput(`${file} is not a brink segment result (kind "brink-segment", version 1); it was not written by \`brink run --segment\``);
  }
  return r as SegmentResult;
}
