import { describe, expect, it } from 'vitest';
import { gateFailures, parseFailOn } from './gate.ts';

const ok = { claims: [{ id: 'NV-1', verdict: 'CONFIRMED' as const }], findings: [], complete: true, failedSteps: [] };

describe('the --fail-on gate', () => {
  it('passes a complete assessment with no refuted claim and no CRITICAL finding', () => {
    expect(gateFailures(['refuted', 'critical', 'incomplete'], ok)).toEqual([]);
  });

  it('fails on a REFUTED claim only when asked to', () => {
    const r = { ...ok, claims: [{ id: 'NF-12', verdict: 'REFUTED' as const }, { id: 'NF-4', verdict: 'PARTLY' as const }] };
    expect(gateFailures(['refuted'], r)).toEqual(['1 claim(s) REFUTED: NF-12']);
    expect(gateFailures(['incomplete'], r)).toEqual([]);
  });

  it('fails on CRITICAL findings, and when no audit was written at all', () => {
    expect(gateFailures(['critical'], { ...ok, findings: [{ severity: 'CRITICAL', title: 'seq scan on posts' }, { severity: 'HIGH', title: 'x' }] })).toEqual(['1 CRITICAL finding(s): seq scan on posts']);
    expect(gateFailures(['critical'], { ...ok, findings: undefined })).toEqual(['no audit findings were written, so CRITICAL findings cannot be ruled out']);
  });

  it('fails on an incomplete assessment, naming the failed step', () => {
    expect(gateFailures(['incomplete'], { ...ok, complete: false, failedSteps: [{ name: 'scenarios', error: '1 scenario run(s) failed: feed-baseline (boom)' }] })).toEqual([
      'the assessment is incomplete: scenarios (1 scenario run(s) failed: feed-baseline (boom))',
    ]);
  });

  it('parses comma-separated and repeated gates, and rejects an unknown one', () => {
    expect(parseFailOn(['refuted,critical', 'refuted'], (v) => new Error(v))).toEqual(['refuted', 'critical']);
    expect(() => parseFailOn(['sometimes'], (v) => new Error(`unknown ${v}`))).toThrow('unknown sometimes');
  });
});
