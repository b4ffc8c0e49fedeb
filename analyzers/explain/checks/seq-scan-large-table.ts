/**
 * A sequential scan that reads a large table on a request path (NV-1's "full table scan", CP-5's
 * LIKE '%q%', CP-7's cleanup without an index). Judged by the rows the scan actually read (returned
 * plus filtered out, over all loops), so a seq scan of a small lookup table is not a finding.
 */
import type { Finding, Severity } from '../../../core/index.ts';
import { round, totalRowsRead, totalTimeMs, walkPlan } from '../plan.ts';
import type { PlanCheck } from './types.ts';

export const seqScanLargeTable: PlanCheck = {
  id: 'seq-scan-large-table',
  description: 'A sequential scan reading many rows of a table.',
  check(snapshot, t) {
    const findings: Finding[] = [];
    for (const { node, path } of walkPlan(snapshot.plan.Plan)) {
      if (node['Node Type'] !== 'Seq Scan' && node['Node Type'] !== 'Parallel Seq Scan') continue;
      // Without ANALYZE only the planner's output estimate exists; rows read are unknown, so use it as a floor.
      const rowsRead = snapshot.analyzed ? totalRowsRead(node) : (node['Plan Rows'] ?? 0);
      const severity: Severity | undefined =
        rowsRead >= t.seqScanCriticalRows ? 'CRITICAL' : rowsRead >= t.seqScanHighRows ? 'HIGH' : undefined;
      if (!severity) continue;
      const table = node['Relation Name'] ?? 'a table';
      const filter = node.Filter;
      findings.push({
        checkId: 'seq-scan-large-table',
        severity,
        title: `Sequential scan of ${table} reading ${rowsRead.toLocaleString('en-US')} rows`,
        location: snapshot.queryId,
        problem: `${path} reads the whole table${filter ? ` and keeps the rows matching ${filter}` : ''}; no index serves the query.`,
        impact: `Every call reads ${rowsRead.toLocaleString('en-US')} rows${snapshot.analyzed ? ` (${round(totalTimeMs(node))} ms here)` : ''}; time grows linearly with the table and concurrent calls compete for I/O and CPU.`,
        fix: filter
          ? `Index the columns of ${filter} (equality columns first; for LIKE '%q%' a trigram GIN index, for text search a tsvector GIN index). \`brink audit indexes\` derives and proves it.`
          : 'The query has no selective predicate on this table; page it (LIMIT with an ordered index) or move it off the request path.',
        explanation: `Seq Scan read ${rowsRead} rows (${snapshot.analyzed ? 'returned + removed by filter, over all loops' : 'planner estimate, no ANALYZE'}); thresholds HIGH >= ${t.seqScanHighRows}, CRITICAL >= ${t.seqScanCriticalRows}.`,
        ...(snapshot.claimIds ? { claimIds: [...snapshot.claimIds] } : {}),
        evidence: { path, table, rowsRead, filter, rowsRemovedByFilter: node['Rows Removed by Filter'] },
      });
    }
    return findings;
  },
};
