import { describe, expect, it } from 'vitest';
import { buildModel } from '../model.ts';
import { inputsWith, literalRun } from '../test-helpers.ts';
import type { Block } from '../types.ts';
import { runCard } from './run-card.ts';

describe('run card', () => {
  it('names the layout the platform ran in next to its variant, and nothing for runs that did not record one', () => {
    const split = literalRun('runs/feed-optimized', { variant: 'optimized' });
    split.summary.card.layout = { split: true, gatewayInstances: 2 };
    const old = literalRun('runs/feed-baseline', { variant: 'baseline' });
    const blocks = runCard.render(buildModel(inputsWith({ runs: [split, old] }))) as Block[];
    const table = blocks.find((b): b is Extract<Block, { kind: 'table' }> => b.kind === 'table' && b.columns.includes('Variant and switches'))!;
    const col = table.columns.indexOf('Variant and switches');
    expect(table.rows.map((r) => r[col])).toEqual(['optimized; split (a process per service) + 2 gateways', 'baseline']);
  });
});
