/**
 * Repeated runs (`brink run --repeat N`, then `brink report DIR`): every repetition of a group side
 * by side (requests, rate, errors, P50, P99, status) and their spread: minimum, median, maximum
 * and max/min per column, and a chart with one dot per repetition. On a noisy machine the spread
 * is the point: one repetition alone is one draw of the noise.
 */
import type { Block, RunEntry, SectionDescriptor } from '../types.ts';
import { fmtMs, fmtPct, fmtRate } from '../derive/format.ts';
import { repetitionSpread } from '../charts/specs.ts';

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** min / median / max, and max/min when the minimum is above zero. */
export function spreadOf(xs: readonly number[]): { min: number; median: number; max: number; ratio: number | null } {
  const min = Math.min(...xs);
  const max = Math.max(...xs);
  return { min, median: median(xs), max, ratio: min > 0 ? max / min : null };
}

function groupsOf(runs: readonly RunEntry[]): Map<string, RunEntry[]> {
  const groups = new Map<string, RunEntry[]>();
  for (const r of runs) {
    if (!r.repeat) continue;
    const key = r.repeat.dir;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  for (const g of groups.values()) g.sort((a, b) => a.repeat!.index - b.repeat!.index);
  return groups;
}

function groupBlocks(runs: RunEntry[], n: number): Block[] {
  const r0 = runs[0]!;
  const col = {
    requests: runs.map((r) => r.summary.totals.requests),
    rate: runs.map((r) => r.summary.totals.ratePerSec),
    errorRate: runs.map((r) => r.summary.totals.errorRate),
    p50: runs.map((r) => r.summary.totals.latencyMs.p50),
    p99: runs.map((r) => r.summary.totals.latencyMs.p99),
  };
  const spreads = Object.fromEntries(Object.entries(col).map(([k, v]) => [k, spreadOf(v)])) as Record<keyof typeof col, ReturnType<typeof spreadOf>>;
  const ratio = (s: ReturnType<typeof spreadOf>) => (s.ratio === null ? '-' : `${s.ratio.toFixed(2)}x`);
  const row = (name: string, pick: (s: ReturnType<typeof spreadOf>) => number) => [
    { text: name, tone: 'muted' as const }, String(Math.round(pick(spreads.requests))), fmtRate(pick(spreads.rate)), fmtPct(pick(spreads.errorRate)), fmtMs(pick(spreads.p50)), fmtMs(pick(spreads.p99)), '',
  ];
  const listed = r0.repeat!.of;
  return [
    { kind: 'heading', text: `${r0.repeat!.group}: ${r0.summary.card.scenario} ${r0.summary.card.profile}, ${runs.length} of ${listed} repetition${listed === 1 ? '' : 's'}` },
    {
      kind: 'table',
      caption: 'Each repetition is a fresh engine (new connections) on the same plan; the spread rows are over the repetitions',
      columns: ['Repetition', 'Requests', 'Rate', 'Error rate', 'P50', 'P99', 'Status'],
      rows: [
        ...runs.map((r) => [
          `#${r.repeat!.index}`, String(r.summary.totals.requests), fmtRate(r.summary.totals.ratePerSec), fmtPct(r.summary.totals.errorRate),
          fmtMs(r.summary.totals.latencyMs.p50), fmtMs(r.summary.totals.latencyMs.p99),
          r.summary.status === 'passed' ? { text: 'passed', tone: 'good' as const } : { text: r.summary.status, tone: 'bad' as const },
        ]),
        row('min', (s) => s.min),
        row('median', (s) => s.median),
        row('max', (s) => s.max),
        [{ text: 'max / min', tone: 'muted' as const }, ratio(spreads.requests), ratio(spreads.rate), ratio(spreads.errorRate), ratio(spreads.p50), ratio(spreads.p99), ''],
      ],
    },
    {
      kind: 'chart', id: `repetitions-${n}`, title: `${r0.repeat!.group}: P50 and P99 of each repetition`,
      spec: repetitionSpread('P50 and P99 of each repetition (tick: median)', [
        { label: 'P50', values: col.p50, median: spreads.p50.median },
        { label: 'P99', values: col.p99, median: spreads.p99.median },
      ]),
    },
  ];
}

export const repetitions: SectionDescriptor = {
  id: 'repetitions',
  title: 'Repetitions',
  when: (model) => model.runs.some((r) => r.repeat !== undefined),
  render(model) {
    const groups = [...groupsOf(model.runs).values()];
    if (groups.length === 0) return [{ kind: 'empty', text: 'No repeated run among the inputs.' }];
    return groups.flatMap((g, i) => groupBlocks(g, i + 1));
  },
};
