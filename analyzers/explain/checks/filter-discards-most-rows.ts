/**
 * A filter applied after reading that throws away most rows: the index (or join) found far more
 * rows than the query wanted, e.g. an index on user_id read, then deleted_at IS NULL checked row
 * by row. Seq Scans are left to seq-scan-large-table, which already reports their reads.
 */
import type { Finding } from '../../../core/index.ts';
import { loopsOf, round, walkPlan } from '../plan.ts';
import type { PlanCheck } from './types.ts';

export const filterDiscardsMostRows: PlanCheck = {
  id: 'filter-discards-most-rows',
  description: 'A filter or recheck discarding most of the rows a node read.',
  check(snapshot, t) {
    if (!snapshot.analyzed) return [];
    const findings: Finding[] = [];
    for (const { node, path } of walkPlan(snapshot.plan.Plan)) {
      if (/Seq Scan$/.test(node['Node Type'])) continue;
      const loops = loopsOf(node);
      const kept = (node['Actual Rows'] ?? 0) * loops;
      const removed = ((node['Rows Removed by Filter'] ?? 0) + (node['Rows Removed by Index Recheck'] ?? 0) + (node['Rows Removed by Join Filter'] ?? 0)) * loops;
      if (removed < t.filterDiscardMinRows) continue;
      const share = removed / (kept + removed);
      if (share < t.filterDiscardShare) continue;
      const condition = node.Filter ?? node['Recheck Cond'] ?? node['Join Filter'] ?? 'its filter';
      findings.push({
        checkId: 'filter-discards-most-rows',
        severity: share >= 0.99 && removed >= t.filterDiscardMinRows * 10 ? 'HIGH' : 'MEDIUM',
        title: `Filter discards ${round(share * 100)}% of the rows read`,
        location: snapshot.queryId,
        problem: `${path} read ${(kept + removed).toLocaleString('en-US')} rows and kept ${kept.toLocaleString('en-US')} after ${condition}.`,
        impact: 'Rows are fetched from the heap only to be thrown away; the work grows with the discarded rows.',
        fix: `Put the columns of ${condition} into the index (as key columns, or as a partial-index predicate for constant conditions such as deleted_at IS NULL).`,
        explanation: `removed ${removed} / read ${kept + removed} = ${share.toFixed(3)} >= ${t.filterDiscardShare} with at least ${t.filterDiscardMinRows} rows removed.`,
        ...(snapshot.claimIds ? { claimIds: [...snapshot.claimIds] } : {}),
        evidence: { path, kept, removed, share, condition },
      });
    }
    return findings;
  },
};
