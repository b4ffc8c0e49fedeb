/**
 * A Nested Loop whose inner side runs once per outer row: fine for a handful, a per-row query in
 * disguise (NV-3's N+1, in SQL) for thousands. Severity from the inner side's loop count.
 */
import type { Finding } from '../../../core/index.ts';
import { describeNode, loopsOf, round, totalTimeMs, walkPlan } from '../plan.ts';
import type { PlanCheck } from './types.ts';

export const nestedLoopManyLoops: PlanCheck = {
  id: 'nested-loop-many-loops',
  description: 'A nested loop executing its inner side many times.',
  check(snapshot, t) {
    if (!snapshot.analyzed) {
      return [{
        checkId: 'nested-loop-many-loops',
        severity: 'INFO',
        title: 'Not applicable: loop counts need EXPLAIN ANALYZE',
        location: snapshot.queryId,
        problem: 'The plan was produced without ANALYZE (a write on a database that is not the reference stack), so it has no Actual Loops.',
        impact: 'Nested loops with many iterations cannot be detected for this query.',
        fix: 'Run the audit against a copy of the database, where writes may be explained with ANALYZE in a rolled-back transaction.',
        explanation: 'Actual Loops is only present in analyzed plans.',
      }];
    }
    const findings: Finding[] = [];
    for (const { node, path } of walkPlan(snapshot.plan.Plan)) {
      if (node['Node Type'] !== 'Nested Loop') continue;
      const inner = node.Plans?.[1];
      if (!inner) continue;
      const loops = loopsOf(inner);
      if (loops < t.nestedLoopMediumLoops) continue;
      const severity = loops >= t.nestedLoopMediumLoops * 10 ? 'HIGH' : 'MEDIUM';
      findings.push({
        checkId: 'nested-loop-many-loops',
        severity,
        title: `Nested loop runs ${describeNode(inner)} ${loops.toLocaleString('en-US')} times`,
        location: snapshot.queryId,
        problem: `${path}: the inner side executes once per outer row, ${loops.toLocaleString('en-US')} times.`,
        impact: `${round(totalTimeMs(inner))} ms spent in the inner side; the count grows with the outer rows (followees, posts...).`,
        fix: 'Bound the outer side (a LIMIT pushed into it, a cursor), make the inner side an index lookup that stops early, or let the planner hash-join by fixing the row estimate of the outer side.',
        explanation: `Inner Actual Loops = ${loops}; MEDIUM >= ${t.nestedLoopMediumLoops}, HIGH >= ${t.nestedLoopMediumLoops * 10}.`,
        ...(snapshot.claimIds ? { claimIds: [...snapshot.claimIds] } : {}),
        evidence: { path, loops, innerTimeMs: totalTimeMs(inner) },
      });
    }
    return findings;
  },
};
