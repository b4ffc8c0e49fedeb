/** What the report was built from, and every input file that could not be used (never silently). */
import type { Block, SectionDescriptor } from '../types.ts';

export const inputs: SectionDescriptor = {
  id: 'inputs',
  title: 'Inputs',
  render(model) {
    const blocks: Block[] = [{
      kind: 'table', columns: ['Directory', 'Kind', 'Files read'],
      rows: model.sources.map((s) => [s.dir, s.kind, s.read.join(', ') || 'nothing usable']),
    }];
    blocks.push(model.problems.length
      ? { kind: 'list', items: model.problems.map((p) => `unusable: ${p}`) }
      : { kind: 'paragraph', text: 'Every input file present was read.' });
    return blocks;
  },
};
