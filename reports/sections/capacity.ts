/** Capacity, current vs optimized (NewFeed's capacity table, NF-10), from baseline and optimized runs. */
import type { SectionDescriptor } from '../types.ts';

export const capacity: SectionDescriptor = {
  id: 'capacity',
  title: 'Capacity: current vs optimized',
  render(model) {
    const rows = model.derived.capacity;
    if (rows.length === 0) {
      return [{ kind: 'empty', text: 'No scenario has both a baseline and an optimized run in the inputs, so there is no current-vs-optimized comparison.' }];
    }
    return [{
      kind: 'table', columns: ['Scenario', 'Metric', 'Current (baseline)', 'With optimizations', 'Change'],
      rows: rows.map((r) => [r.scenario, r.metric, r.current, r.optimized, { text: r.change, tone: r.change.includes('better') ? 'good' : r.change.includes('worse') ? 'bad' : undefined }]),
    }];
  },
};
