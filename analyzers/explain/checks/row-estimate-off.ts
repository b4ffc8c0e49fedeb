/**
 * The planner's row estimate off from the actual rows by 10x or more. Wrong estimates are why
 * plans go wrong (a nested loop chosen for 'one row' that turns out to be 50,000), so this reports
 * where the error starts: the deepest such node, not every node above it that inherits it.
 */
import type { Finding } from '../../../core/index.ts';
import { type PlanNode, describeNode, walkPlan } from '../plan.ts';
import type { PlanCheck } from './types.ts';

// Their actual row counts are not comparable to estimates (bitmaps report 0 rows).
const SKIP = new Set(['BitmapAnd', 'BitmapOr', 'Limit']);

interface Off {
  node: PlanNode;
  path: string;
  estimated: number;
  actual: number;
  factor: number;
}

/** Nodes whose execution was cut short by design: below a Limit, or the inner side of a semi/anti join. */
function stoppedEarly(root: PlanNode): Set<PlanNode> {
  const out = new Set<PlanNode>();
  const mark = (n: PlanNode): void => {
    out.add(n);
    n.Plans?.forEach(mark);
  };
  for (const { node } of walkPlan(root)) {
    if (node['Node Type'] === 'Limit') node.Plans?.forEach(mark);
    if (/^(Semi|Anti)$/.test(String(node['Join Type'] ?? '')) && node.Plans?.[1]) mark(node.Plans[1]);
  }
  return out;
}

export const rowEstimateOff: PlanCheck = {
  id: 'row-estimate-off',
  description: "The planner's row estimate differs from the actual rows by the configured factor or more.",
  check(snapshot, t) {
    if (!snapshot.analyzed) {
      return [{
        checkId: 'row-estimate-off',
        severity: 'INFO',
        title: 'Not applicable: estimates can only be compared with ANALYZE',
        location: snapshot.queryId,
        problem: 'The plan was produced without ANALYZE, so it has no actual row counts.',
        impact: 'Misestimates cannot be detected for this query.',
        fix: 'Audit a copy of the database, where the query may be explained with ANALYZE in a rolled-back transaction.',
        explanation: 'Actual Rows is only present in analyzed plans.',
      }];
    }
    const early = stoppedEarly(snapshot.plan.Plan);
    const off = new Map<PlanNode, Off>();
    for (const { node, path } of walkPlan(snapshot.plan.Plan)) {
      if (SKIP.has(node['Node Type']) || early.has(node) || node['Actual Rows'] === undefined) continue;
      // Both per loop: Plan Rows is an estimate per execution, Actual Rows an average per loop.
      const estimated = node['Plan Rows'] ?? 0;
      const actual = node['Actual Rows'];
      if (Math.max(estimated, actual) < t.estimateMinRows) continue;
      const factor = Math.max(estimated, actual) / Math.max(Math.min(estimated, actual), 1);
      if (factor >= t.estimateErrorFactor) off.set(node, { node, path, estimated, actual, factor });
    }
    const hasOffDescendant = (n: PlanNode): boolean => (n.Plans ?? []).some((c) => off.has(c) || hasOffDescendant(c));
    const findings: Finding[] = [];
    for (const o of off.values()) {
      if (hasOffDescendant(o.node)) continue;
      const direction = o.actual > o.estimated ? 'under' : 'over';
      findings.push({
        checkId: 'row-estimate-off',
        severity: o.factor >= t.estimateErrorFactor * 10 ? 'HIGH' : 'MEDIUM',
        title: `Row estimate ${Math.round(o.factor)}x ${direction} on ${describeNode(o.node)}`,
        location: snapshot.queryId,
        problem: `${o.path}: planned ${o.estimated.toLocaleString('en-US')} rows, got ${o.actual.toLocaleString('en-US')} per loop.`,
        impact: 'Join methods, join order and memory are chosen for the wrong row count; the plan above this node may be far from the best.',
        fix: 'ANALYZE the table; for skewed columns raise the statistics target (ALTER TABLE ... ALTER COLUMN ... SET STATISTICS 1000); for correlated columns CREATE STATISTICS.',
        explanation: `max/min of estimate and actual = ${o.factor.toFixed(1)} >= ${t.estimateErrorFactor} (nodes under 'Limit' and with both counts < ${t.estimateMinRows} are ignored; only the deepest misestimated node is reported).`,
        ...(snapshot.claimIds ? { claimIds: [...snapshot.claimIds] } : {}),
        evidence: { path: o.path, estimated: o.estimated, actual: o.actual, factor: o.factor },
      });
    }
    return findings;
  },
};
