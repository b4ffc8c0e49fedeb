/**
 * The capacity table, current vs optimized (NewFeed's "Current System Capacity" table, NF-10),
 * from a baseline run and an optimized run of the same scenario.
 */
import type { CapacityRow, RunEntry, ScenarioRow } from '../types.ts';
import { fmtInt, fmtMs, fmtPct, fmtRate } from './format.ts';

interface Metric {
  metric: string;
  value: (run: RunEntry, row: ScenarioRow) => number | undefined;
  fmt: (v: number) => string;
  higherIsBetter: boolean;
}

const maxOf = (xs: (number | undefined)[]) => {
  const v = xs.filter((x): x is number => typeof x === 'number');
  return v.length ? Math.max(...v) : undefined;
};

const METRICS: Metric[] = [
  // Under the same offered load, requests in flight are an outcome: needing fewer concurrent users
  // (VUs) for the same arrival rate means answers come back sooner. With a fixed-VU plan both runs
  // show the plan's number and the change reads "same".
  { metric: 'Peak concurrent users in flight (VUs; fewer for the same load is better)', value: (r) => maxOf([...r.summary.timeSeries.map((p) => p.vus), ...r.summary.phases.map((p) => p.targetVus)]), fmt: fmtInt, higherIsBetter: false },
  { metric: 'Peak achieved throughput', value: (_r, row) => row.peakRatePerSec, fmt: fmtRate, higherIsBetter: true },
  { metric: 'Safe throughput (P99 target met)', value: (_r, row) => row.safeThroughputPerSec ?? undefined, fmt: fmtRate, higherIsBetter: true },
  { metric: 'Avg response time', value: (r) => r.summary.totals.latencyMs.mean, fmt: fmtMs, higherIsBetter: false },
  { metric: 'P95 response time', value: (r) => r.summary.totals.latencyMs.p95, fmt: fmtMs, higherIsBetter: false },
  { metric: 'P99 response time', value: (r) => r.summary.totals.latencyMs.p99, fmt: fmtMs, higherIsBetter: false },
  { metric: 'Error rate', value: (r) => r.summary.totals.errorRate, fmt: fmtPct, higherIsBetter: false },
  {
    metric: 'Database connections (peak)', fmt: fmtInt, higherIsBetter: false,
    value: (r) => {
      const g = r.summary.metrics['db_connections'];
      return g?.type === 'gauge' ? g.values.max : r.summary.counters['dbConnectionsPeak'];
    },
  },
];

function change(cur: number, opt: number, higherIsBetter: boolean): string {
  if (cur === opt) return 'same';
  if (cur === 0 || opt === 0) return higherIsBetter === opt > cur ? 'better' : 'worse';
  const ratio = higherIsBetter ? opt / cur : cur / opt;
  return ratio >= 1 ? `${ratio.toFixed(1)}x better` : `${(1 / ratio).toFixed(1)}x worse`;
}

export function deriveCapacity(runs: readonly RunEntry[], rows: readonly ScenarioRow[]): CapacityRow[] {
  const out: CapacityRow[] = [];
  const scenarios = [...new Set(runs.map((r) => r.summary.card.scenario))];
  for (const scenario of scenarios) {
    const idx = (variant: string) => runs.findIndex((r) => r.summary.card.scenario === scenario && r.summary.card.variant === variant);
    const b = idx('baseline');
    const o = idx('optimized');
    if (b < 0 || o < 0) continue;
    for (const m of METRICS) {
      const cur = m.value(runs[b]!, rows[b]!);
      const opt = m.value(runs[o]!, rows[o]!);
      if (cur === undefined && opt === undefined) continue;
      out.push({
        scenario, metric: m.metric,
        current: cur === undefined ? 'not measured' : m.fmt(cur),
        optimized: opt === undefined ? 'not measured' : m.fmt(opt),
        change: cur === undefined || opt === undefined ? '-' : change(cur, opt, m.higherIsBetter),
      });
    }
  }
  return out;
}
