import { describe, expect, it } from 'vitest';
import { judgeBeyond1 } from './beyond-feed-followee-merge.ts';

const m = { followees: 50, runs: 10, joinP50Ms: 1_400, mergeP50Ms: 16, samePage: true, pageSize: 20 };

describe('BEYOND-1: the followee merge for a reader of 50 sparse accounts', () => {
  it('1.4 s -> 16 ms on the same page is CONFIRMED, better than claimed', () => {
    const r = judgeBeyond1(m);
    expect(r.verdict).toBe('CONFIRMED');
    expect(r.reason).toContain('better than claimed');
    expect(r.headline).toMatchObject({ unit: 'x', claimed: 10, better: 'higher' });
  });
  it('a different page is not a faster plan: that part fails', () => {
    expect(judgeBeyond1({ ...m, samePage: false }).reason).toMatch(/failed: the same page both ways/);
  });
  it('3x faster and 80 ms fails both speed targets', () => {
    expect(judgeBeyond1({ ...m, joinP50Ms: 240, mergeP50Ms: 80 }).verdict).toBe('PARTLY');
    expect(judgeBeyond1({ ...m, joinP50Ms: 240, mergeP50Ms: 80, samePage: false }).verdict).toBe('REFUTED');
  });
  it('a failed request is not evidence: nothing measured is NOT RUN', () => {
    expect(judgeBeyond1({ ...m, joinP50Ms: undefined, mergeP50Ms: undefined, samePage: undefined }).verdict).toBe('NOT RUN');
    expect(judgeBeyond1({ ...m, mergeP50Ms: undefined, samePage: undefined }).verdict).toBe('NOT RUN');
  });
});
