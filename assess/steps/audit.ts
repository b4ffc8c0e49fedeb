/**
 * The audits, on the baseline (index switches off): EXPLAIN checks and index coverage with HypoPG
 * proofs over the catalog queries the baseline runs, and the pool budget of the running platform.
 */
import { join } from 'node:path';
import { ASSESSMENT_FILES, switchesFor } from '../../core/index.ts';
import type { IndexAuditDetails } from '../../analyzers/index.ts';
import { gatewayOf, putSwitches } from '../context.ts';
import type { AssessStep } from '../step.ts';
import type { Seeded } from './seed.ts';
import { writeJson } from './write-json.ts';

export const auditStep: AssessStep<Seeded, void> = {
  id: 'audit',
  title: 'SQL, index and pool audits (baseline)',
  needs: 'the running platform and its data (the stack and seed steps)',
  async run(env, { stack }) {
    const a = await import('../../analyzers/index.ts');
    const { NAMED_QUERIES, queryForm } = await import('../../sql-audit/index.ts');
    const gateway = gatewayOf(stack);
    const baseline = switchesFor('baseline');
    const queries = NAMED_QUERIES.filter((q) => !('usedWhen' in q) || queryForm(q.family, baseline).id === q.id);
    const target = 'reference platform (baseline)';
    await putSwitches(gateway, baseline);
    const client = await a.connectDirect(stack.urls.postgres);
    try {
      const sql = await a.auditSql(client, queries, { timeoutMs: 10_000, analyzeWrites: true, expectDataset: true, target });
      const indexes = await a.auditIndexes(client, queries, { timeoutMs: 10_000, realIndexes: true, analyzeWrites: true, reportUnused: false, expectDataset: true, target });
      const postgres = await a.readPostgresLimits(client, 10_000);
      const pgbouncer = await a.readPgbouncerSettings(stack.urls.pgbouncer);
      const pools = a.auditPools({ deployment: a.referenceDeployment({ postgres, pgbouncer }), target: 'reference platform', queries: NAMED_QUERIES, sample: { missing: 'no load sampled during the audit' } });
      const findings = a.sortFindings([...sql.findings, ...indexes.findings, ...pools.findings]);
      writeJson(join(env.outDir, ASSESSMENT_FILES.findings), findings);
      writeJson(join(env.outDir, ASSESSMENT_FILES.pools), pools.details.budget);
      const explains = provenExplains(indexes.details, new Map<string, string>(NAMED_QUERIES.map((q) => [q.id, q.sql])));
      writeJson(join(env.outDir, ASSESSMENT_FILES.explains), explains);
      const counts = a.countBySeverity(findings);
      env.note(`findings: ${Object.entries(counts).filter(([, v]) => v > 0).map(([k, v]) => `${v} ${k}`).join(', ') || 'none'}; ${explains.length} index suggestions proven`);
    } finally {
      await client.end().catch(() => undefined);
      await putSwitches(gateway, switchesFor('optimized'));
    }
  },
};

/** The plans before and after each suggested index whose proof has both (explains.json, shown by the report). */
export function provenExplains(details: IndexAuditDetails, sqlOf: ReadonlyMap<string, string>) {
  return details.wanted.flatMap((w) => {
    const { proof } = w;
    if (!proof?.before || !proof.after) return [];
    const { before, after } = proof;
    return [
      {
        query: w.queryId,
        sql: sqlOf.get(w.queryId) ?? '',
        before: { label: 'baseline', plan: before.shape, totalCost: before.cost, ...(before.executionMs !== undefined ? { executionMs: before.executionMs } : {}) },
        after: { label: `with ${w.ddl} (${proof.method === 'hypopg' ? 'HypoPG' : 'real index, rolled back'})`, plan: after.shape, hypothetical: proof.method === 'hypopg', totalCost: after.cost, ...(after.executionMs !== undefined ? { executionMs: after.executionMs } : {}) },
      },
    ];
  });
}
