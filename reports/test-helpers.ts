/** Literal inputs for unit tests: a small RunSummary whose every number the test chooses. */
import type { PhaseSummary, RunSummary, TrendValues } from '../core/index.ts';
import { emptyInputs, type LoadedInputs } from './load.ts';
import type { RunEntry } from './types.ts';

export function trend(p99: number, extra: Partial<TrendValues> = {}): TrendValues {
  return { count: 100, min: 1, mean: p99 / 3, p50: p99 / 4, p90: p99 / 2, p95: p99 * 0.8, p99, p999: p99 * 1.5, max: p99 * 2, ...extra };
}

export function phase(name: string, ratePerSec: number, p99: number, errors = 0, requests = 1000): PhaseSummary {
  return { name, startMs: 0, endMs: 10_000, requests, errors, ratePerSec, latencyMs: trend(p99) };
}

export function literalRun(label: string, o: { scenario?: string; variant?: string; p99?: number; errorRate?: number; ratePerSec?: number; phases?: PhaseSummary[]; endpoints?: string[]; thresholds?: RunSummary['thresholds'] } = {}): RunEntry {
  const p99 = o.p99 ?? 100;
  const summary: RunSummary = {
    schemaVersion: 1,
    card: {
      runId: label, scenario: o.scenario ?? 'feed', profile: 'smoke', engine: 'node', engineVersion: '1', gitSha: 'abc', variant: o.variant ?? 'baseline',
      switches: {}, dataset: 'small', target: 'http://127.0.0.1:1', machine: { cpus: 2, cpuModel: 'x', memoryGb: 4, os: 'linux', node: 'v20' },
      startedAt: '2026-01-01T00:00:00Z', durationMs: 60_000,
    },
    status: 'passed',
    totals: { requests: 1000, errors: Math.round((o.errorRate ?? 0) * 1000), errorRate: o.errorRate ?? 0, ratePerSec: o.ratePerSec ?? 100, latencyMs: trend(p99) },
    endpoints: (o.endpoints ?? ['home']).map((name) => ({ name, requests: 1000, errors: 0, ratePerSec: o.ratePerSec ?? 100, latencyMs: trend(p99), statusCounts: { 200: 1000 } })),
    phases: o.phases ?? [],
    metrics: {}, timeSeries: [], thresholds: o.thresholds ?? [], timeline: [], counters: {}, notes: [],
  };
  return { label, dir: `/nowhere/${label}`, summary, spectra: {} };
}

export function inputsWith(parts: Partial<LoadedInputs>): LoadedInputs {
  return { ...emptyInputs(), ...parts };
}
