/** Compare mode: two runs side by side with deltas per endpoint and percentile, and the verdict. */
import type { SectionDescriptor } from '../types.ts';
import { fmtMs, fmtPct, fmtRate } from '../derive/format.ts';

export const compare: SectionDescriptor = {
  id: 'compare',
  title: 'Comparison',
  when: (model) => model.comparison !== null,
  render(model) {
    const c = model.comparison;
    if (!c) return [{ kind: 'empty', text: 'Not in compare mode.' }];
    return [
      { kind: 'verdict', text: c.verdict, tone: c.regression ? 'bad' : 'good' },
      { kind: 'keyvalue', entries: [['Base', c.base], ['Head', c.head],
        ['Throughput', `${fmtRate(c.throughput.basePerSec)} -> ${fmtRate(c.throughput.headPerSec)} (${c.throughput.deltaPct >= 0 ? '+' : ''}${c.throughput.deltaPct}%)`],
        ['Error rate', `${fmtPct(c.errorRate.base)} -> ${fmtPct(c.errorRate.head)}${c.errorRate.regression ? ' REGRESSION' : ''}`]] },
      {
        kind: 'table', caption: `Deltas (regression: worse by more than ${c.tolerancePct}% and ${c.minDeltaMs} ms)`,
        columns: ['Endpoint', 'Percentile', 'Base', 'Head', 'Delta', 'Verdict'],
        rows: c.deltas.map((d) => [d.endpoint, d.percentile, fmtMs(d.baseMs), fmtMs(d.headMs), `${d.deltaPct >= 0 ? '+' : ''}${d.deltaPct}%`,
          d.regression ? { text: 'REGRESSION', tone: 'bad' } : { text: 'ok', tone: 'good' }]),
      },
    ];
  },
};
