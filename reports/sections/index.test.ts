import { describe, expect, it } from 'vitest';
import { SECTIONS } from './index.ts';

describe('the section registry', () => {
  it('keeps the assessment layout order', () => {
    expect(SECTIONS.ids()).toEqual(['run-card', 'executive-summary', 'compare', 'repetitions', 'claims', 'findings', 'pools', 'load-scenarios', 'timelines', 'slis', 'capacity', 'where-time-went', 'chaos', 'action-items', 'inputs']);
  });

  it('names the valid sections when asked for an unknown one', () => {
    expect(() => SECTIONS.get('nope')).toThrow(`unknown report section "nope"; expected one of: ${SECTIONS.ids().join(', ')}`);
  });
});
