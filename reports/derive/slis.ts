/**
 * The SLI table: every threshold a run checked (its own targets), plus the Nova audit's SLI set
 * (NV-13) evaluated on any run whose endpoints match, so the table readers know gets measured
 * values where the audit had estimates. A Nova SLI no run could measure is listed as NOT MEASURED.
 */
import type { RunEntry, SliRow } from '../types.ts';
import { fmtInt, fmtMs, fmtNumber, fmtRate } from './format.ts';

interface NovaSli {
  sli: string;
  target: string;
  /** The measured value from a run, or undefined when the run cannot measure it. */
  measure: (run: RunEntry) => { value: number; text: string } | undefined;
  pass: (value: number) => boolean;
}

function endpointP99(pattern: RegExp) {
  return (run: RunEntry) => {
    const eps = run.summary.endpoints.filter((e) => pattern.test(e.name) && e.latencyMs.count > 0);
    if (eps.length === 0) return undefined;
    const value = Math.max(...eps.map((e) => e.latencyMs.p99));
    return { value, text: fmtMs(value) };
  };
}

export const NOVA_SLIS: readonly NovaSli[] = [
  { sli: 'Feed P99 latency', target: '< 500 ms', measure: endpointP99(/feed/i), pass: (v) => v < 500 },
  { sli: 'Message send P99', target: '< 100 ms', measure: endpointP99(/send|message/i), pass: (v) => v < 100 },
  { sli: 'Inter-service call P99', target: '< 100 ms', measure: endpointP99(/internal|rpc|grpc|upstream/i), pass: (v) => v < 100 },
  { sli: 'Search P99', target: '< 1 s', measure: endpointP99(/search/i), pass: (v) => v < 1000 },
  {
    sli: 'Feed throughput', target: '> 1,000 req/s', pass: (v) => v > 1000,
    measure: (run) => {
      const eps = run.summary.endpoints.filter((e) => /feed/i.test(e.name));
      if (eps.length === 0) return undefined;
      // Peak phase rate, not the run average: a ramp's average says little about what it sustained.
      const phasePeak = Math.max(0, ...run.summary.phases.map((p) => p.ratePerSec));
      const value = Math.max(phasePeak, ...eps.map((e) => e.ratePerSec));
      return { value, text: fmtRate(value) };
    },
  },
  {
    sli: 'WebSocket concurrency', target: '> 10,000', pass: (v) => v > 10_000,
    measure: (run) => {
      const s = run.summary.timeSeries.map((p) => p.sockets).filter((x): x is number => typeof x === 'number');
      if (s.length === 0) return undefined;
      const value = Math.max(...s);
      return { value, text: fmtInt(value) };
    },
  },
];

export function deriveSlis(runs: readonly RunEntry[]): SliRow[] {
  const rows: SliRow[] = [];
  for (const run of runs) {
    for (const t of run.summary.thresholds) {
      rows.push({
        run: run.label, sli: t.metric, target: t.expression, source: 'threshold',
        measured: t.actual === undefined ? '-' : fmtNumber(t.actual),
        status: t.ok ? 'PASS' : 'FAIL',
      });
    }
  }
  for (const sli of NOVA_SLIS) {
    let measuredAny = false;
    for (const run of runs) {
      const m = sli.measure(run);
      if (!m) continue;
      measuredAny = true;
      rows.push({ run: run.label, sli: sli.sli, target: sli.target, measured: m.text, status: sli.pass(m.value) ? 'PASS' : 'FAIL', source: 'nova-sli' });
    }
    if (!measuredAny) rows.push({ run: '-', sli: sli.sli, target: sli.target, measured: 'no run measured it', status: 'NOT MEASURED', source: 'nova-sli' });
  }
  return rows;
}
