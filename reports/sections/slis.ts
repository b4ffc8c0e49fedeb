/** The SLI table (Nova section 7): target, measured, PASS/FAIL, per run. */
import type { SectionDescriptor } from '../types.ts';

export const slis: SectionDescriptor = {
  id: 'slis',
  title: 'Service level indicators',
  render(model) {
    const rows = model.derived.slis;
    if (model.runs.length === 0) return [{ kind: 'empty', text: 'No load runs in the inputs: no SLI could be measured.' }];
    return [{
      kind: 'table', caption: 'Thresholds each run checked, then the Nova audit SLIs (NV-13) on runs whose endpoints match',
      columns: ['Run', 'SLI', 'Target', 'Measured', 'Status'],
      rows: rows.map((r) => [r.run, r.sli, r.target, r.measured, { text: r.status, tone: r.status === 'PASS' ? 'good' : r.status === 'FAIL' ? 'bad' : 'muted' }]),
    }];
  },
};
