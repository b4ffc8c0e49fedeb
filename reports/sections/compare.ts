/**
 * Compare mode: the verdict, then the rank comparison per metric (medians, change with its
 * confidence interval, p-value, "~" when not significant), the two sides' distributions side by
 * side (a chart per gated metric), and the fixed-tolerance deltas of one run against one run.
 */
import type { Block, SectionDescriptor } from '../types.ts';
import { fmtMs, fmtPct, fmtRate } from '../derive/format.ts';
import { compareDistribution } from '../charts/specs.ts';
import { formatChange, formatP } from '../compare/rank-compare.ts';
import type { MetricComparison, RankComparison } from '../compare/types.ts';

const TITLES: Record<MetricComparison['metric'], string> = { p99: 'P99 latency', p50: 'P50 latency', errorRate: 'Error rate', throughput: 'Throughput' };

function fmtValue(m: MetricComparison, v: number): string {
  if (m.unit === 'ms') return fmtMs(v);
  if (m.unit === '%') return `${v.toFixed(3)}%`;
  return fmtRate(v);
}

function rankBlocks(s: RankComparison): Block[] {
  const per = s.unit === 'run' ? 'runs' : 'windows';
  return [
    {
      kind: 'table',
      caption: `Mann-Whitney U per metric, one sample per ${s.unit} (windows of ${s.windowS}s); REGRESSION = p < ${s.alpha} and worse by more than ${s.tolerancePct}% (error rate: ${s.errorTolerancePct} pp); ~ = not significant`,
      columns: ['Metric', 'Gated', `Base (median of ${per})`, `Head (median of ${per})`, 'Change [CI]', 'U', 'p', 'Verdict'],
      rows: s.metrics.map((m) => [
        TITLES[m.metric], m.gated ? 'yes' : 'no',
        `${fmtValue(m, m.base.median)} (n=${m.base.values.length})`, `${fmtValue(m, m.head.median)} (n=${m.head.values.length})`,
        formatChange(m), String(m.test.u), formatP(m.test.pValue),
        m.regression ? { text: 'REGRESSION', tone: 'bad' } : m.verdict === 'improved' ? { text: 'improved', tone: 'good' } : m.verdict === '~' ? { text: '~', tone: 'muted' } : { text: m.verdict, tone: 'warn' },
      ]),
    },
    { kind: 'list', items: s.notes },
    ...s.metrics.filter((m) => m.gated).map((m): Block => ({
      kind: 'chart', id: `compare-dist-${m.metric}`, title: `${TITLES[m.metric]}: base vs head, one dot per ${s.unit}`,
      spec: compareDistribution(`${TITLES[m.metric]} per ${s.unit} (tick: median)`, m.unit, m.base, m.head),
    })),
  ];
}

export const compare: SectionDescriptor = {
  id: 'compare',
  title: 'Comparison',
  when: (model) => model.comparison !== null,
  render(model) {
    const c = model.comparison;
    if (!c) return [{ kind: 'empty', text: 'Not in compare mode.' }];
    const s = c.stats;
    const blocks: Block[] = [
      { kind: 'verdict', text: c.verdict, tone: c.regression ? 'bad' : s && !s.enoughRuns && c.gate !== 'fixed' ? 'warn' : 'good' },
      { kind: 'keyvalue', entries: [['Base', `${c.base}${s ? ` (${s.baseRuns} run${s.baseRuns === 1 ? '' : 's'})` : ''}`], ['Head', `${c.head}${s ? ` (${s.headRuns} run${s.headRuns === 1 ? '' : 's'})` : ''}`],
        ['Gate', c.gate === 'fixed' ? `fixed tolerance, one run each (${c.tolerancePct}% and ${c.minDeltaMs} ms)` : `rank test (alpha ${s?.alpha ?? 0.05}) and tolerance ${c.tolerancePct}%`],
        ['Throughput', `${fmtRate(c.throughput.basePerSec)} -> ${fmtRate(c.throughput.headPerSec)} (${c.throughput.deltaPct >= 0 ? '+' : ''}${c.throughput.deltaPct}%)`],
        ['Error rate', `${fmtPct(c.errorRate.base)} -> ${fmtPct(c.errorRate.head)}${c.gate === 'fixed' && c.errorRate.regression ? ' REGRESSION' : ''}`]] },
    ];
    if (s) blocks.push(...rankBlocks(s));
    const gated = c.gate === 'fixed';
    blocks.push({
      kind: 'table',
      caption: gated
        ? `Deltas (regression: worse by more than ${c.tolerancePct}% and ${c.minDeltaMs} ms)`
        : `Deltas of the first run of each side, fixed tolerance ${c.tolerancePct}% and ${c.minDeltaMs} ms (shown, not gated: one run is one draw of the noise)`,
      columns: ['Endpoint', 'Percentile', 'Base', 'Head', 'Delta', 'Verdict'],
      rows: c.deltas.map((d) => [d.endpoint, d.percentile, fmtMs(d.baseMs), fmtMs(d.headMs), `${d.deltaPct >= 0 ? '+' : ''}${d.deltaPct}%`,
        d.regression ? { text: gated ? 'REGRESSION' : 'beyond tolerance', tone: gated ? 'bad' : 'warn' } : { text: 'ok', tone: 'good' }]),
    });
    return blocks;
  },
};
