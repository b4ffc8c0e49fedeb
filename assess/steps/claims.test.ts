import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../../core/index.ts';
import { CLAIMS } from '../claims-catalog.ts';
import type { RunningStack } from '../context.ts';
import { claimsInput, claimTable } from './claims.ts';
import type { Seeded } from './seed.ts';

const seeded = { stack: { dir: 'seeded' }, db: {}, dataset: { posts: 1 } } as unknown as Seeded;
const afterRuns = { dir: 'after the runs' } as unknown as RunningStack;
const run = { totals: { requests: 5 } } as unknown as RunSummary;

describe('claimsInput', () => {
  it('has no runs and no reasons when the scenarios step was left out', () => {
    expect(claimsInput(seeded, undefined)).toEqual({ ...seeded, runs: {}, runFailures: {} });
  });

  it("hands on the runs the scenarios step made, and the stack as it left the platform", () => {
    const input = claimsInput(seeded, { ok: true, value: { stack: afterRuns, runs: { 'feed-baseline': run }, runFailures: {} } });
    expect(input.stack).toBe(afterRuns);
    expect(input.runs).toEqual({ 'feed-baseline': run });
    expect(input.runFailures).toEqual({});
  });

  it("when the step failed, gives its error for every run it did not make ('*') and keeps each failed run's own reason", () => {
    const partial = { stack: afterRuns, runs: { 'feed-baseline': run }, runFailures: { 'feed-optimized': 'ECONNRESET' } };
    const input = claimsInput(seeded, { ok: false, error: '1 scenario run(s) failed', partial });
    expect(input.runs).toEqual({ 'feed-baseline': run });
    expect(input.runFailures).toEqual({ '*': 'the scenarios step failed: 1 scenario run(s) failed', 'feed-optimized': 'ECONNRESET' });
    expect(claimsInput(seeded, { ok: false, error: 'gateway down' })).toMatchObject({ stack: seeded.stack, runs: {}, runFailures: { '*': 'the scenarios step failed: gateway down' } });
  });
});

describe('claimTable', () => {
  it('lists every catalogued claim once, measured ones with their result, the others NOT RUN with why', () => {
    const first = CLAIMS[0]!;
    const table = claimTable(new Map([[first.id, { id: first.id, method: 'm', measured: '12 ms', verdict: 'CONFIRMED' as const, reason: 'r' }]]));
    expect(table.map((c) => c.id)).toEqual(CLAIMS.map((c) => c.id));
    expect(table[0]).toEqual({ claim: first.claim, id: first.id, method: 'm', measured: '12 ms', verdict: 'CONFIRMED', reason: 'r' });
    expect(table[1]).toEqual({ claim: CLAIMS[1]!.claim, id: CLAIMS[1]!.id, method: '-', measured: '-', verdict: 'NOT RUN', reason: 'no probe measures this claim yet' });
  });
});
