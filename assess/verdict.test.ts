import { describe, expect, it } from 'vitest';
import { costAtMost, fact, flawAtLeast, headlineOf, higherIsBetter, judged, lowerIsBetter, show, showAgainst, unmeasured, verdictOf } from './verdict.ts';

describe('one verdict semantics', () => {
  it('confirms an improvement at least as good as claimed, and says when it is better than claimed', () => {
    expect(higherIsBetter('80-90% faster', 0.85, [0.8, 0.9], show.pct)).toMatchObject({ label: '80-90% faster', ok: true, measured: '85%' });
    expect(higherIsBetter('80-90% faster', 0.85, [0.8, 0.9], show.pct).note).toBeUndefined();
    expect(higherIsBetter('80-90% faster', 0.97, [0.8, 0.9], show.pct)).toMatchObject({ ok: true, note: 'better than claimed' });
    expect(higherIsBetter('80-90% faster', 0.5, [0.8, 0.9], show.pct).ok).toBe(false);
    expect(lowerIsBetter('< 10 ms', 0.2, 10, show.ms, { strict: true })).toMatchObject({ ok: true, note: 'better than claimed' });
    expect(lowerIsBetter('< 10 ms', 10, 10, show.ms, { strict: true }).ok).toBe(false);
    expect(lowerIsBetter('10-50 ms', 30, [10, 50], show.ms)).toMatchObject({ label: '10-50 ms', ok: true, measured: '30 ms' });
    expect(lowerIsBetter('10-50 ms', 30, [10, 50], show.ms).note).toBeUndefined();
  });

  it('refutes a cost claim only when the cost is higher, and calls a smaller cost cheaper than claimed', () => {
    expect(costAtMost('+2-5 ms', 7, [2, 5], show.plusMs).ok).toBe(false);
    expect(costAtMost('+2-5 ms', 3, [2, 5], show.plusMs)).toMatchObject({ label: '+2-5 ms', ok: true, measured: '+3.00 ms' });
    expect(costAtMost('+2-5 ms', 3, [2, 5], show.plusMs).note).toBeUndefined();
    expect(costAtMost('+2-5 ms', 0.1, [2, 5], show.plusMs)).toMatchObject({ ok: true, note: 'cheaper than claimed' });
    expect(costAtMost('+2-5 ms', -0.3, [2, 5], show.plusMs)).toMatchObject({ ok: true, note: 'cheaper than claimed' });
  });

  it('holds a claimed flaw only when the baseline is at least as bad as claimed', () => {
    expect(flawAtLeast('> 500 ms', 620, 500, show.ms).ok).toBe(true);
    expect(flawAtLeast('> 500 ms', 12, 500, show.ms).ok).toBe(false);
  });

  it('never takes a missing, NaN or infinite value as evidence', () => {
    for (const v of [undefined, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(higherIsBetter('x', v, 1, show.x)).toEqual({ label: 'x', ok: undefined, measured: 'not measured' });
      expect(lowerIsBetter('x', v, 1, show.ms).ok).toBeUndefined();
      expect(costAtMost('x', v, 1, show.ms).ok).toBeUndefined();
      expect(flawAtLeast('x', v, 1, show.ms).ok).toBeUndefined();
    }
  });

  it('confirms only when every target was measured and held', () => {
    const held = fact('a', true, '1');
    const failed = fact('b', false, '2');
    const missing = unmeasured('c', 'the run failed');
    expect(verdictOf([held]).verdict).toBe('CONFIRMED');
    expect(verdictOf([held, missing]).verdict).toBe('PARTLY');
    expect(verdictOf([held, failed]).verdict).toBe('PARTLY');
    expect(verdictOf([failed]).verdict).toBe('REFUTED');
    expect(verdictOf([failed, missing]).verdict).toBe('REFUTED');
    expect(verdictOf([missing]).verdict).toBe('NOT RUN');
    expect(verdictOf([]).verdict).toBe('NOT RUN');
  });

  it('names what held, what failed and what was not measured', () => {
    const r = verdictOf([fact('fix < 10 ms', true, '0.1 ms'), fact('baseline > 500 ms', false, '12 ms'), unmeasured('10,000 sockets', 'needs the realtime benchmark')]);
    expect(r).toEqual({
      verdict: 'PARTLY',
      reason: 'held: fix < 10 ms (measured 0.1 ms) | failed: baseline > 500 ms (measured 12 ms) | not measured: 10,000 sockets (not measured: needs the realtime benchmark)',
    });
  });

  it('a CONFIRMED reason never admits an unmeasured part', () => {
    const r = judged('X-1', 'm', 'v', [higherIsBetter('3-5x', 6, [3, 5], show.x), lowerIsBetter('< 1 ms', 0.4, 1, show.ms, { strict: true })]);
    expect(r.verdict).toBe('CONFIRMED');
    expect(r.reason).not.toMatch(/not judged|not measured|not run/i);
  });

  it('drops values that are missing or not finite from the JSON', () => {
    expect(judged('X-1', 'm', 'v', [fact('a', true, '1')], { a: 1, b: undefined, c: Number.NaN, d: Number.POSITIVE_INFINITY }).values).toEqual({ a: 1 });
  });

  it('takes the headline from the first measured improvement or cost, in the claim\'s unit, else the first flaw', () => {
    const flaw = flawAtLeast('baseline > 500 ms', 620, 500, show.ms);
    const fix = lowerIsBetter('with the index < 10 ms', 0.3, 10, show.ms, { strict: true });
    expect(headlineOf([flaw, fix])).toEqual({ metric: 'with the index < 10 ms', unit: 'ms', claimed: 10, measured: 0.3, better: 'lower' });
    expect(headlineOf([flaw])).toEqual({ metric: 'baseline > 500 ms', unit: 'ms', claimed: 500, measured: 620, better: 'higher' });
    // Fractions are charted as percent; a range's weakest bound is the claimed value.
    expect(headlineOf([higherIsBetter('80-90% faster', 0.85, [0.8, 0.9], show.pct)])).toMatchObject({ unit: '%', claimed: 80, measured: 85, better: 'higher' });
    // Nothing measured, or only yes/no targets: no headline (the chart lists the claim instead).
    expect(headlineOf([lowerIsBetter('x', undefined, 1, show.ms), fact('y', true, 'yes')])).toBeUndefined();
    expect(judged('NV-1', 'm', 'm', [fact('y', true, 'yes')]).headline).toBeUndefined();
    expect(judged('NV-1', 'm', 'm', [fix]).headline?.measured).toBe(0.3);
  });
});

describe('a measured value shown next to its bound', () => {
  it('prints more digits when rounding would make a failed target read as met', () => {
    const p = higherIsBetter('50-70% less', 0.497, [0.5, 0.7], show.pct);
    expect(p.ok).toBe(false);
    expect(p.measured).toBe('49.70%');
    expect(showAgainst(show.ms, 500.2, 500)).toBe('500.200 ms');
    expect(showAgainst(show.x, 2.96, 3)).toBe('2.960x');
  });
  it('keeps the usual rounding when the two already read apart, or are equal', () => {
    expect(higherIsBetter('50-70% less', 0.62, [0.5, 0.7], show.pct).measured).toBe('62%');
    expect(showAgainst(show.pct, 0.5, 0.5)).toBe('50%');
  });
});
