import { describe, expect, it } from 'vitest';
import type { Finding } from '../core/index.ts';
import { atOrAbove, renderFindings } from './report.ts';

const f = (severity: Finding['severity'], title: string, location: string): Finding => ({ checkId: 'x', severity, title, location, problem: 'p', impact: 'i', fix: 'f', explanation: 'e' });

describe('renderFindings', () => {
  it('lists the worst first and merges identical not-applicable notes', () => {
    const text = renderFindings([f('INFO', 'Not applicable: n/a', 'a'), f('MEDIUM', 'm', 'q'), f('INFO', 'Not applicable: n/a', 'b'), f('CRITICAL', 'c', 'q')]);
    expect(text.split('\n').filter((l) => l.startsWith('['))).toEqual(['[CRITICAL] c', '[MEDIUM] m', '[INFO] Not applicable: n/a']);
    expect(text).toContain('  Location: a, b');
  });
  it('says so when there is nothing', () => {
    expect(renderFindings([])).toBe('No findings.\n');
  });
});

describe('atOrAbove', () => {
  it('keeps findings at or above a level for --fail-on', () => {
    expect(atOrAbove([f('CRITICAL', 'c', 'q'), f('HIGH', 'h', 'q'), f('MEDIUM', 'm', 'q')], 'HIGH').map((x) => x.title)).toEqual(['c', 'h']);
  });
});
