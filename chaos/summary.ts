/**
 * Turns an experiment's probe samples into a RunSummary (the shared result model), so reports draw
 * the probes' latency and errors per second with the fault timeline over them, on one time axis.
 */
import { cpus, totalmem, platform, release } from 'node:os';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHistogram, recordMs, trendValues, PROJECT_ROOT, type PhaseSummary, type RunSummary, type TimelineEvent } from '../core/index.ts';
import type { StackState } from '../stack/index.ts';
import type { Phase } from './hypothesis.ts';
import { computeSlis, inWindow, timeSeries, type Sample, type Window } from './slis.ts';

function gitSha(): string {
  try {
    const head = readFileSync(join(PROJECT_ROOT, '.git', 'HEAD'), 'utf8').trim();
    if (!head.startsWith('ref: ')) return head;
    return readFileSync(join(PROJECT_ROOT, '.git', head.slice(5)), 'utf8').trim();
  } catch {
    return 'unknown';
  }
}

function trend(samples: readonly Sample[]) {
  const h = createHistogram();
  for (const s of samples) recordMs(h, s.latencyMs);
  return trendValues(h);
}

export interface ProbeSummaryInput {
  experimentId: string;
  samples: readonly Sample[];
  windows: Record<Phase, Window>;
  timeline: TimelineEvent[];
  startedAt: string;
  stack?: StackState | undefined;
  profile: string;
  notes: string[];
}

export function buildProbeSummary(input: ProbeSummaryInput): RunSummary {
  const { samples } = input;
  const slis = computeSlis(samples);
  const durationMs = samples.length === 0 ? 0 : Math.round(Math.max(...samples.map((s) => s.tMs + s.latencyMs)));
  const statusCounts: Record<string, number> = {};
  for (const s of samples) statusCounts[String(s.status)] = (statusCounts[String(s.status)] ?? 0) + 1;
  const perSec = (n: number, ms: number) => (ms > 0 ? (n * 1000) / ms : 0);
  const phases: PhaseSummary[] = (['before', 'during', 'after'] as const)
    .filter((p) => input.windows[p].endMs > input.windows[p].startMs)
    .map((p) => {
      const w = input.windows[p];
      const ws = inWindow(samples, w);
      const s = computeSlis(ws);
      return { name: p, startMs: Math.round(w.startMs), endMs: Math.round(w.endMs), requests: s.requests, errors: s.errors, ratePerSec: perSec(s.requests, w.endMs - w.startMs), latencyMs: trend(ws) };
    });
  const platformState = input.stack?.platform;
  return {
    schemaVersion: 1,
    card: {
      runId: `chaos-${input.experimentId}-${input.startedAt.replace(/[:.]/g, '-')}`,
      scenario: `chaos-probe:${input.experimentId}`,
      profile: input.profile,
      engine: 'node',
      engineVersion: process.version,
      gitSha: gitSha(),
      variant: platformState?.variant ?? 'unknown',
      switches: { ...(platformState?.switches ?? {}) },
      dataset: platformState?.dataset ?? 'unknown',
      target: platformState?.services.gateway ?? 'unknown',
      machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memoryGb: Math.round(totalmem() / 1e9), os: `${platform()} ${release()}`, node: process.version },
      startedAt: input.startedAt,
      durationMs,
    },
    status: 'passed',
    totals: { requests: slis.requests, errors: slis.errors, errorRate: slis.errorRate, ratePerSec: perSec(slis.requests, durationMs), latencyMs: trend(samples) },
    endpoints: [{ name: 'probe', requests: slis.requests, errors: slis.errors, ratePerSec: perSec(slis.requests, durationMs), latencyMs: trend(samples), statusCounts }],
    phases,
    metrics: {
      http_req_duration: { type: 'trend', values: trend(samples) },
      http_req_failed: { type: 'rate', values: { rate: slis.errorRate, passes: slis.errors, fails: slis.requests - slis.errors } },
    },
    timeSeries: timeSeries(samples),
    thresholds: [],
    timeline: input.timeline,
    counters: { noResponse: slis.noResponse, status503: slis.status503 },
    notes: [...input.notes],
  };
}
