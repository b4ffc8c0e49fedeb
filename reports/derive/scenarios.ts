/**
 * Load scenarios in the Nova audit's shape (parameters, bottleneck, failure mode, safe throughput),
 * with every value observed in the run: safe throughput is the highest rate a phase achieved while
 * meeting the P99 target with under 1% errors; the failure mode is the first phase that did not.
 */
import type { RunEntry, ScenarioRow } from '../types.ts';
import { fmtMs, fmtPct, fmtRate } from './format.ts';

const MAX_SAFE_ERROR_RATE = 0.01;

/** P99 target for a run: its own p(99)<X threshold on http_req_duration, else Nova's SLI by scenario. */
export function p99TargetMs(run: RunEntry): number {
  for (const t of run.summary.thresholds) {
    const m = /p\(99\)\s*<=?\s*([\d.]+)/.exec(t.expression);
    if (m && t.metric.startsWith('http_req_duration')) return Number(m[1]);
  }
  const s = run.summary.card.scenario;
  if (/chat|message/i.test(s)) return 100;
  if (/search/i.test(s)) return 1000;
  return 500;
}

function parametersOf(run: RunEntry): string {
  const c = run.summary.card;
  const stages = run.summary.phases.map((p) => {
    const target = p.targetRatePerSec !== undefined ? `${p.targetRatePerSec} req/s` : p.targetVus !== undefined ? `${p.targetVus} VUs` : '';
    return `${p.name} ${Math.round((p.endMs - p.startMs) / 1000)} s${target ? ` -> ${target}` : ''}`;
  });
  const parts = [`profile ${c.profile}`, `dataset ${c.dataset}`, `engine ${c.engine}`];
  if (stages.length) parts.push(`stages: ${stages.join(', ')}`);
  return parts.join('; ');
}

function dominantErrorStatus(run: RunEntry): string | undefined {
  const counts: Record<string, number> = {};
  for (const e of run.summary.endpoints) {
    for (const [status, n] of Object.entries(e.statusCounts)) if (!/^[23]/.test(status)) counts[status] = (counts[status] ?? 0) + n;
  }
  const top = Object.entries(counts).sort((a, b) => b[1] - a[1])[0];
  return top ? `${top[1]} x ${top[0]}` : undefined;
}

export function deriveScenario(run: RunEntry): ScenarioRow {
  const s = run.summary;
  const target = p99TargetMs(run);
  const phases = s.phases.filter((p) => p.requests > 0);
  const ok = phases.filter((p) => p.latencyMs.p99 <= target && p.errors / p.requests < MAX_SAFE_ERROR_RATE);
  const safe = ok.length ? Math.max(...ok.map((p) => p.ratePerSec)) : null;
  const firstBad = phases.find((p) => p.latencyMs.p99 > target || p.errors / p.requests >= MAX_SAFE_ERROR_RATE);
  const peak = Math.max(s.totals.ratePerSec, ...phases.map((p) => p.ratePerSec));
  let failureMode: string;
  if (firstBad) {
    const why = firstBad.latencyMs.p99 > target ? `P99 ${fmtMs(firstBad.latencyMs.p99)} > ${fmtMs(target)}` : '';
    const errs = firstBad.errors / firstBad.requests >= MAX_SAFE_ERROR_RATE ? `errors ${fmtPct(firstBad.errors / firstBad.requests)}` : '';
    const status = dominantErrorStatus(run);
    failureMode = `${[why, errs].filter(Boolean).join(', ')} in phase "${firstBad.name}" at ${fmtRate(firstBad.ratePerSec)}${status ? `; most frequent error: ${status}` : ''}`;
  } else if (phases.length === 0) {
    failureMode = 'no phases recorded';
  } else {
    failureMode = `none observed up to ${fmtRate(peak)}`;
  }
  const breakers = s.timeline.filter((e) => e.kind === 'breaker').length;
  if (breakers) failureMode += `; ${breakers} circuit breaker event(s)`;
  const slowest = [...s.endpoints].sort((a, b) => b.latencyMs.p99 - a.latencyMs.p99)[0];
  const bottleneckNote = s.notes.find((n) => /bottleneck/i.test(n));
  const bottleneck = bottleneckNote ?? (slowest ? `slowest endpoint: ${slowest.name} (P99 ${fmtMs(slowest.latencyMs.p99)})` : 'no endpoints recorded');
  return {
    run: run.label, scenario: s.card.scenario, variant: s.card.variant, parameters: parametersOf(run),
    peakRatePerSec: peak, p99Ms: s.totals.latencyMs.p99, errorRate: s.totals.errorRate,
    bottleneck, failureMode, safeThroughputPerSec: safe, p99TargetMs: target,
  };
}
