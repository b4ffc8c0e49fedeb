/** Action items P0/P1/P2, derived from findings, failed SLIs and chaos, and refuted claims. */
import type { Block, Priority, SectionDescriptor } from '../types.ts';

const TITLES: Record<Priority, string> = { P0: 'P0 blockers (fix before deploying)', P1: 'P1 high priority', P2: 'P2 improvements' };

export const actionItems: SectionDescriptor = {
  id: 'action-items',
  title: 'Action items',
  render(model) {
    const all = model.derived.actions;
    if (all.length === 0) return [{ kind: 'empty', text: 'No action items: no finding, failed SLI, failed chaos hypothesis or refuted claim in the inputs.' }];
    const blocks: Block[] = [];
    for (const p of ['P0', 'P1', 'P2'] as const) {
      const items = all.filter((a) => a.priority === p);
      blocks.push({ kind: 'heading', text: TITLES[p], tone: p === 'P0' && items.length ? 'bad' : undefined });
      blocks.push(items.length ? { kind: 'list', ordered: true, items: items.map((a) => `${a.title} - ${a.detail} (${a.source})`) } : { kind: 'empty', text: `None at ${p}.` });
    }
    return blocks;
  },
};
