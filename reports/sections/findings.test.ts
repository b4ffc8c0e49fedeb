import { describe, expect, it } from 'vitest';
import { groupFindings } from './findings.ts';

const f = (location: string, severity: 'CRITICAL' | 'HIGH' | 'MEDIUM', checkId: string) => ({ location, severity, checkId, title: checkId, problem: '', impact: '', fix: '', explanation: '' });

describe('findings grouped by place', () => {
  it('shows one entry per query, under the worst severity of its checks, worst places first', () => {
    const g = groupFindings([f('get_user_posts', 'HIGH', 'sort-under-limit'), f('search_posts', 'MEDIUM', 'leading-wildcard'), f('get_user_posts', 'CRITICAL', 'seq-scan'), f('get_user_posts', 'HIGH', 'missing-index')]);
    expect(g.map((x) => [x.location, x.severity, x.findings.map((y) => y.checkId)])).toEqual([
      ['get_user_posts', 'CRITICAL', ['seq-scan', 'sort-under-limit', 'missing-index']],
      ['search_posts', 'MEDIUM', ['leading-wildcard']],
    ]);
  });
});
