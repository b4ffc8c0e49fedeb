/**
 * NV-1, NV-2: a Sort feeding a Limit. Postgres reads and sorts every matching row to return the
 * first N; an index in ORDER BY order lets the Limit stop after N rows. The cost grows with the
 * rows sorted (10,000 posts: the Nova audit's > 500 ms), so severity follows that count.
 */
import type { Finding, Severity } from '../../../core/index.ts';
import { type PlanNode, describeNode, round, totalRowsOut, walkPlan } from '../plan.ts';
import type { PlanCheck } from './types.ts';

// Nodes that pass rows through unchanged between a Limit and the Sort it stops.
const PASS_THROUGH = new Set(['Gather Merge', 'Result', 'Subquery Scan']);

function sortBelow(limit: PlanNode): PlanNode | undefined {
  let node = limit.Plans?.[0];
  while (node && PASS_THROUGH.has(node['Node Type'])) node = node.Plans?.[0];
  return node?.['Node Type'] === 'Sort' ? node : undefined;
}

/** The conditions of the scans feeding the sort, which the wanted index must lead with. */
function conditionsBelow(node: PlanNode): string[] {
  return walkPlan(node)
    .map(({ node: n }) => [n['Index Cond'], n['Recheck Cond'], n.Filter].filter((c): c is string => Boolean(c)))
    .flat();
}

export const sortUnderLimit: PlanCheck = {
  id: 'sort-under-limit',
  description: 'A Sort feeding a Limit: every matching row is read and sorted to return the first few (missing ordered index).',
  check(snapshot, t) {
    const findings: Finding[] = [];
    const walked = walkPlan(snapshot.plan.Plan);
    const pathOf = new Map(walked.map((w) => [w.node, w.path]));
    for (const { node: limit } of walked) {
      if (limit['Node Type'] !== 'Limit') continue;
      const sort = sortBelow(limit);
      const input = sort?.Plans?.[0];
      if (!sort || !input) continue;
      const path = pathOf.get(input) ?? describeNode(input);
      const rowsSorted = totalRowsOut(input);
      const rowsReturned = totalRowsOut(limit);
      const severity: Severity | undefined =
        rowsSorted >= t.sortUnderLimitCriticalRows ? 'CRITICAL'
        : rowsSorted >= t.sortUnderLimitHighRows ? 'HIGH'
        : rowsSorted >= t.sortUnderLimitMediumRows ? 'MEDIUM'
        : undefined;
      if (!severity) continue;
      const sortKey = (sort['Sort Key'] ?? []).join(', ');
      const conditions = conditionsBelow(input);
      const sortMs = sort['Actual Total Time'];
      const measured = snapshot.analyzed ? '' : ' (planner estimate: EXPLAIN ran without ANALYZE)';
      findings.push({
        checkId: 'sort-under-limit',
        severity,
        title: `Sort of ${rowsSorted.toLocaleString('en-US')} rows to return ${rowsReturned.toLocaleString('en-US')}`,
        location: snapshot.queryId,
        problem: `${path}: the Limit needs the first rows by ${sortKey || 'the sort key'}, but no index returns them in that order, so ${describeNode(input)} reads every matching row and Sort orders all of them${measured}.`,
        impact: `Cost grows with the rows matched, not the rows returned: ${rowsSorted.toLocaleString('en-US')} rows sorted${sortMs === undefined ? '' : ` in ${round(sortMs)} ms`} (${sort['Sort Method'] ?? 'sort'}); it gets worse as the data grows.`,
        fix: `Add a b-tree index whose leading columns are the equality columns of ${conditions.length ? conditions.join(' AND ') : 'the scan'}, followed by ${sortKey || 'the sort key'} in that direction, partial on any constant predicate (e.g. deleted_at IS NULL), so rows come out in order and the Limit stops early. \`brink audit indexes\` derives and proves it.`,
        explanation: `A Limit over a Sort of ${rowsSorted} input rows (thresholds: MEDIUM >= ${t.sortUnderLimitMediumRows}, HIGH >= ${t.sortUnderLimitHighRows}, CRITICAL >= ${t.sortUnderLimitCriticalRows}).`,
        ...(snapshot.claimIds ? { claimIds: [...snapshot.claimIds] } : {}),
        evidence: { path, rowsSorted, rowsReturned, sortKey: sort['Sort Key'] ?? [], sortMethod: sort['Sort Method'], sortMs, conditions },
      });
    }
    return findings;
  },
};
