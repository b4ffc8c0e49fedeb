/**
 * `brink audit pools`: the pool budget table and its findings, plus Little's-law sizing when a
 * pg_stat_statements sample is given (two snapshots taken while load runs).
 */
import type { Finding } from '../../core/index.ts';
import type { NamedQuery } from '../../sql-audit/index.ts';
import type { AuditReport } from '../report.ts';
import { type PoolBudget, budgetFindings, poolBudget } from './budget.ts';
import type { Deployment } from './deployment.ts';
import { type ServiceDemand, type StatementStat, demandByService, littlesLawFindings, statementDeltas } from './littles-law.ts';

export interface PoolAuditInput {
  deployment: Deployment;
  target: string;
  /** Two pg_stat_statements snapshots and the time between them, or why there are none. */
  sample?: { before: StatementStat[]; after: StatementStat[]; durationMs: number } | { missing: string };
  /** Catalog queries, to map statements to the services that run them. */
  queries: readonly NamedQuery[];
}

export interface PoolAuditDetails {
  budget: PoolBudget;
  demand?: ServiceDemand[];
  unmatchedCalls?: number;
}

export function auditPools(input: PoolAuditInput): AuditReport<PoolAuditDetails> {
  const started = Date.now();
  const budget = poolBudget(input.deployment);
  const findings: Finding[] = budgetFindings(input.deployment, budget);
  const details: PoolAuditDetails = { budget };
  const notes: string[] = [];
  if (!input.sample || 'missing' in input.sample) {
    findings.push({
      checkId: 'littles-law', severity: 'INFO', title: "Not applicable: no measured query rates for Little's law", location: input.deployment.name,
      problem: input.sample && 'missing' in input.sample ? input.sample.missing : 'No pg_stat_statements sample was taken.',
      impact: 'Pool sizes are judged against the limits only, not against measured demand.',
      fix: 'Run `brink audit pools --sample-seconds 30` while load runs (needs pg_stat_statements).',
      explanation: "Little's law needs query rate and mean time per service: L = lambda x W.",
    });
  } else {
    const serviceOf = new Map(input.queries.map((q) => [q.sql, q.runsIn.service]));
    const { demand, unmatchedCalls } = demandByService(statementDeltas(input.sample.before, input.sample.after), serviceOf, input.sample.durationMs);
    details.demand = demand;
    details.unmatchedCalls = unmatchedCalls;
    if (unmatchedCalls) notes.push(`${unmatchedCalls} calls in the sample matched no catalog query and are not attributed to a service`);
    findings.push(...littlesLawFindings(budget.rows, demand));
  }
  return { kind: 'pools', target: input.target, startedAt: new Date(started).toISOString(), durationMs: Date.now() - started, findings, notes, details };
}

/** The budget as Nova's table (text). */
export function renderBudget(b: PoolBudget): string {
  const lines = ['| Service | Replicas | Pools/replica | Pool size | Timeout | Total |', '|---|---|---|---|---|---|'];
  for (const r of b.rows) lines.push(`| ${r.service} | ${r.replicas} | ${r.poolsPerReplica} | ${r.poolMax} | ${r.poolTimeoutMs === undefined ? '-' : `${r.poolTimeoutMs / 1000}s`} | ${r.total} |`);
  lines.push(`| **TOTAL** | | | | | **${b.total}** |`);
  if (b.limit !== undefined) lines.push('', `Limit: ${b.limit} (${b.limitSource}); margin ${b.margin} (${Math.round((b.marginShare ?? 0) * 100)}%).`);
  return `${lines.join('\n')}\n`;
}
