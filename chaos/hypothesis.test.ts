import { describe, expect, it } from 'vitest';
import { evaluateHypothesis, hypothesis, tolerance } from './hypothesis.ts';

describe('steady-state hypotheses', () => {
  it('holds when every tolerance holds, and reports the values it used', () => {
    const h = hypothesis('the feed answers fast', 'before', 'p99Ms < 500', 'errorRate <= 0.01');
    expect(evaluateHypothesis(h, { p99Ms: 120.5, errorRate: 0, requests: 40 })).toEqual({
      hypothesis: 'the feed answers fast',
      phase: 'before',
      ok: true,
      measured: { p99Ms: 120.5, errorRate: 0 },
      explanation: 'p99Ms=120.5 < 500; errorRate=0 <= 0.01',
    });
  });

  it('fails when one tolerance fails and says which', () => {
    const v = evaluateHypothesis(hypothesis('fast failure', 'during', 'failedP99Ms < 5', 'requests > 10'), { failedP99Ms: 10_002.1, requests: 30 });
    expect(v.ok).toBe(false);
    expect(v.explanation).toBe('failedP99Ms=10002.1 NOT < 5; requests=30 > 10');
  });

  it('fails a tolerance whose metric was not measured', () => {
    const v = evaluateHypothesis(hypothesis('breaker opened', 'during', 'breakerOpened == yes'), {});
    expect(v.ok).toBe(false);
    expect(v.explanation).toBe('breakerOpened was not measured (needed == "yes")');
  });

  it('compares strings for equality only', () => {
    expect(evaluateHypothesis(hypothesis('s', 'after', 'breakerState == closed'), { breakerState: 'closed' }).ok).toBe(true);
    expect(evaluateHypothesis(hypothesis('s', 'after', 'breakerState != open'), { breakerState: 'open' }).ok).toBe(false);
    expect(evaluateHypothesis(hypothesis('s', 'after', 'lost < 1'), { lost: 'unknown' }).ok).toBe(false);
  });

  it('parses tolerances with numbers and quoted strings', () => {
    expect(tolerance('p99Ms<=500')).toEqual({ metric: 'p99Ms', op: '<=', value: 500 });
    expect(tolerance("breakerState == 'half-open'")).toEqual({ metric: 'breakerState', op: '==', value: 'half-open' });
    expect(() => tolerance('p99Ms is small')).toThrow('tolerance "p99Ms is small" is not "METRIC OP VALUE"');
  });
});
