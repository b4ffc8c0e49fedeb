/**
 * A sort, hash or hash aggregate that ran out of work_mem and spilled to temporary files: the
 * operation does disk I/O on every call. Only analyzed plans show it.
 */
import type { Finding } from '../../../core/index.ts';
import { type PlanNode, walkPlan } from '../plan.ts';
import type { PlanCheck } from './types.ts';

function spill(node: PlanNode): string | undefined {
  if (node['Sort Space Type'] === 'Disk' || /external/.test(node['Sort Method'] ?? '')) {
    return `${node['Sort Method'] ?? 'sort'} using ${node['Sort Space Used'] ?? '?'} kB of disk`;
  }
  if ((node['Hash Batches'] ?? 1) > 1) {
    return `hash split into ${node['Hash Batches']} batches (planned ${node['Original Hash Batches'] ?? '?'}), spilling to disk`;
  }
  if ((node['HashAgg Batches'] ?? 0) > 1 || (node['Disk Usage'] ?? 0) > 0) {
    return `hash aggregate spilled ${node['Disk Usage'] ?? '?'} kB to disk in ${node['HashAgg Batches'] ?? '?'} batches`;
  }
  return undefined;
}

export const spillToDisk: PlanCheck = {
  id: 'spill-to-disk',
  description: 'A sort, hash or aggregate spilling to disk (work_mem exceeded).',
  check(snapshot) {
    const findings: Finding[] = [];
    for (const { node, path } of walkPlan(snapshot.plan.Plan)) {
      const what = spill(node);
      if (!what) continue;
      findings.push({
        checkId: 'spill-to-disk',
        severity: 'HIGH',
        title: `${node['Node Type']} spills to disk`,
        location: snapshot.queryId,
        problem: `${path}: ${what}.`,
        impact: 'Temporary-file I/O on every execution; under concurrency the disk, not the CPU, sets the latency.',
        fix: 'Reduce the rows reaching this node (an index that avoids the sort, a LIMIT pushed down), or raise work_mem for this query (SET LOCAL work_mem) if the data truly needs it.',
        explanation: 'Postgres reports Sort Space Type Disk / external merge, Hash Batches > 1, or HashAgg Disk Usage > 0 when work_mem was exceeded.',
        ...(snapshot.claimIds ? { claimIds: [...snapshot.claimIds] } : {}),
        evidence: { path, detail: what },
      });
    }
    return findings;
  },
};
