import { describe, expect, it } from 'vitest';
import type { ExplainOutput, PlanSnapshot } from '../plan.ts';
import { DEFAULT_PLAN_THRESHOLDS as T, resolvePlanThresholds } from '../thresholds.ts';
import { feedNestedLoop, filterDiscard, likeSearchBaseline, nv1Baseline, nv1Optimized, spillAndMisestimate } from '../fixtures/plans.ts';
import { PLAN_CHECKS } from './index.ts';

const snap = (plan: ExplainOutput, analyzed = true): PlanSnapshot => ({ queryId: 'q', plan, analyzed, claimIds: ['NV-1'] });
const run = (id: string, plan: ExplainOutput, analyzed = true, t = T) => PLAN_CHECKS.get(id).check(snap(plan, analyzed), t);

describe('sort-under-limit', () => {
  it('reports NV-1 on baseline as CRITICAL with the rows sorted and the sort key', () => {
    const [f, ...rest] = run('sort-under-limit', nv1Baseline);
    expect(rest).toHaveLength(0);
    expect(f?.severity).toBe('CRITICAL');
    expect(f?.title).toBe('Sort of 98,000 rows to return 20');
    expect(f?.problem).toContain('Limit > Sort > Bitmap Heap Scan on posts');
    expect(f?.fix).toContain("(user_id = '42'::bigint) AND (deleted_at IS NULL)");
    expect(f?.fix).toContain('followed by created_at DESC');
    expect(f?.claimIds).toEqual(['NV-1']);
  });
  it('finds nothing once an index returns rows in order', () => {
    expect(run('sort-under-limit', nv1Optimized)).toEqual([]);
  });
  it('sees through Gather Merge and grades by rows sorted', () => {
    // 155 rows x 2 loops reach the sort: under the MEDIUM threshold of 500.
    expect(run('sort-under-limit', likeSearchBaseline)).toEqual([]);
    const [f] = run('sort-under-limit', likeSearchBaseline, true, resolvePlanThresholds({ sortUnderLimitMediumRows: 300 }));
    expect(f?.severity).toBe('MEDIUM');
    expect(f?.evidence?.rowsSorted).toBe(310);
  });
  it('grades the feed sort of 25,000 joined rows CRITICAL', () => {
    expect(run('sort-under-limit', feedNestedLoop).map((f) => f.severity)).toEqual(['CRITICAL']);
  });
});

describe('seq-scan-large-table', () => {
  it('counts rows read as returned plus filtered over all loops', () => {
    const [f] = run('seq-scan-large-table', likeSearchBaseline);
    expect(f?.severity).toBe('CRITICAL');
    expect(f?.evidence?.rowsRead).toBe((155 + 74845) * 2);
    expect(f?.fix).toContain('trigram GIN');
  });
  it('reports a 50,000-row scan HIGH and ignores index scans', () => {
    expect(run('seq-scan-large-table', spillAndMisestimate).map((f) => [f.severity, f.evidence?.table])).toEqual([['HIGH', 'follows'], ['CRITICAL', 'users']]);
    expect(run('seq-scan-large-table', nv1Optimized)).toEqual([]);
  });
  it('falls back to the estimate without ANALYZE', () => {
    expect(run('seq-scan-large-table', spillAndMisestimate, false).map((f) => f.evidence?.rowsRead)).toEqual([100000]);
  });
});

describe('nested-loop-many-loops', () => {
  it('reports an inner index scan run 2,500 times as MEDIUM', () => {
    const [f] = run('nested-loop-many-loops', feedNestedLoop);
    expect(f?.severity).toBe('MEDIUM');
    expect(f?.title).toBe('Nested loop runs Index Scan using posts_user_created_live_idx on posts 2,500 times');
  });
  it('is HIGH from ten times the threshold', () => {
    expect(run('nested-loop-many-loops', feedNestedLoop, true, resolvePlanThresholds({ nestedLoopMediumLoops: 250 }))[0]?.severity).toBe('HIGH');
  });
  it('says it is not applicable without ANALYZE', () => {
    const [f] = run('nested-loop-many-loops', feedNestedLoop, false);
    expect(f?.severity).toBe('INFO');
    expect(f?.title).toBe('Not applicable: loop counts need EXPLAIN ANALYZE');
  });
});

describe('row-estimate-off', () => {
  it('reports only the deepest misestimated node, direction and factor', () => {
    const found = run('row-estimate-off', spillAndMisestimate);
    expect(found.map((f) => f.title)).toEqual(['Row estimate 50000x under on Seq Scan on follows']);
    expect(found[0]?.severity).toBe('HIGH');
  });
  it('ignores nodes a Limit stopped early', () => {
    expect(run('row-estimate-off', nv1Baseline)).toEqual([]);
    expect(run('row-estimate-off', nv1Optimized)).toEqual([]);
  });
});

describe('filter-discards-most-rows', () => {
  it('reports an index scan whose filter drops 99% of rows HIGH', () => {
    const [f] = run('filter-discards-most-rows', filterDiscard);
    expect(f?.severity).toBe('HIGH');
    expect(f?.title).toBe('Filter discards 99% of the rows read');
    expect(f?.fix).toContain('(deleted_at IS NULL)');
  });
  it('leaves seq scans to seq-scan-large-table and keeps quiet below the share', () => {
    expect(run('filter-discards-most-rows', likeSearchBaseline)).toEqual([]);
    expect(run('filter-discards-most-rows', nv1Baseline)).toEqual([]);
  });
});

describe('spill-to-disk', () => {
  it('reports the external merge sort and the batched hash', () => {
    const found = run('spill-to-disk', spillAndMisestimate);
    expect(found.map((f) => f.problem)).toEqual([
      'Sort: external merge using 11840 kB of disk.',
      'Sort > Hash Join > Hash: hash split into 4 batches (planned 2), spilling to disk.',
    ]);
  });
  it('finds nothing for in-memory sorts', () => {
    expect(run('spill-to-disk', nv1Baseline)).toEqual([]);
  });
});

describe('plan check registry', () => {
  it('names an unknown check with the valid ids', () => {
    expect(() => PLAN_CHECKS.get('nope')).toThrow('unknown plan check "nope"; expected one of: seq-scan-large-table, sort-under-limit, nested-loop-many-loops, row-estimate-off, filter-discards-most-rows, spill-to-disk');
  });
});
