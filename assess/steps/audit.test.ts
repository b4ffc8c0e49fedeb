import { describe, expect, it } from 'vitest';
import { provenExplains } from './audit.ts';

describe('provenExplains', () => {
  it('gives the plans before and after each suggestion whose proof has both, labelled by how it was proven', () => {
    const wanted = [
      { queryId: 'feed', ddl: 'CREATE INDEX ON posts (user_id)', reason: 'r', status: 'missing' as const, proof: { method: 'hypopg' as const, proven: true, reason: 'r', before: { cost: 900, shape: 'Seq Scan' }, after: { cost: 9, shape: 'Index Scan', usesIndex: true } } },
      { queryId: 'search', ddl: 'CREATE INDEX ON posts (body)', reason: 'r', status: 'missing' as const, proof: { method: 'real-index' as const, proven: true, reason: 'r', before: { cost: 50, shape: 'Seq Scan', executionMs: 4 }, after: { cost: 5, shape: 'Index Scan', executionMs: 0.5, usesIndex: true } } },
      { queryId: 'unproven', ddl: 'CREATE INDEX ON x (y)', reason: 'r', status: 'missing' as const, proof: { method: 'none' as const, proven: false, reason: 'no hypopg', before: { cost: 1, shape: 'Seq Scan' } } },
      { queryId: 'covered', ddl: 'CREATE INDEX ON z (w)', reason: 'r', status: 'covered' as const },
    ];
    const explains = provenExplains({ hypopg: 'installed', wanted }, new Map([['feed', 'SELECT 1']]));
    expect(explains).toEqual([
      { query: 'feed', sql: 'SELECT 1', before: { label: 'baseline', plan: 'Seq Scan', totalCost: 900 }, after: { label: 'with CREATE INDEX ON posts (user_id) (HypoPG)', plan: 'Index Scan', hypothetical: true, totalCost: 9 } },
      { query: 'search', sql: '', before: { label: 'baseline', plan: 'Seq Scan', totalCost: 50, executionMs: 4 }, after: { label: 'with CREATE INDEX ON posts (body) (real index, rolled back)', plan: 'Index Scan', hypothetical: false, totalCost: 5, executionMs: 0.5 } },
    ]);
  });
});
