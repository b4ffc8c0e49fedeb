/**
 * Little's law for pools: connections busy on average = query rate x mean query time. A pool
 * smaller than that (times a burst factor) queues; one many times larger only holds idle
 * connections. Demand comes from pg_stat_statements deltas over a run, mapped to services by
 * matching each statement's text with the catalog's SQL (which names the service that runs it).
 */
import type { Finding } from '../../core/index.ts';
import type { BudgetRow } from './budget.ts';

export interface StatementStat {
  query: string;
  calls: number;
  totalExecMs: number;
}

export interface ServiceDemand {
  service: string;
  queriesPerSec: number;
  meanQueryMs: number;
}

/** Calls and time between two pg_stat_statements snapshots (same query text). */
export function statementDeltas(before: readonly StatementStat[], after: readonly StatementStat[]): StatementStat[] {
  const prev = new Map(before.map((s) => [s.query, s]));
  return after
    .map((s) => ({ query: s.query, calls: s.calls - (prev.get(s.query)?.calls ?? 0), totalExecMs: s.totalExecMs - (prev.get(s.query)?.totalExecMs ?? 0) }))
    .filter((s) => s.calls > 0);
}

const norm = (sql: string) => sql.replace(/\s+/g, ' ').trim().toLowerCase();

/** Per-service demand: statements matched to services by their text; unmatched ones are returned apart. */
export function demandByService(deltas: readonly StatementStat[], serviceOf: ReadonlyMap<string, string>, durationMs: number): { demand: ServiceDemand[]; unmatchedCalls: number } {
  const byNorm = new Map([...serviceOf].map(([sql, svc]) => [norm(sql), svc]));
  const acc = new Map<string, { calls: number; ms: number }>();
  let unmatchedCalls = 0;
  for (const d of deltas) {
    const svc = byNorm.get(norm(d.query));
    if (!svc) {
      unmatchedCalls += d.calls;
      continue;
    }
    const a = acc.get(svc) ?? { calls: 0, ms: 0 };
    a.calls += d.calls;
    a.ms += d.totalExecMs;
    acc.set(svc, a);
  }
  const demand = [...acc].map(([service, a]) => ({ service, queriesPerSec: a.calls / (durationMs / 1000), meanQueryMs: a.ms / a.calls }));
  return { demand, unmatchedCalls };
}

/** Connections a service needs per replica: ceil(rate x time x burst / replicas), at least 1. */
export function littlesLawPoolSize(d: ServiceDemand, replicas: number, burstFactor = 2): number {
  return Math.max(1, Math.ceil(((d.queriesPerSec * d.meanQueryMs) / 1000) * burstFactor / replicas));
}

export function littlesLawFindings(rows: readonly BudgetRow[], demand: readonly ServiceDemand[], burstFactor = 2): Finding[] {
  const out: Finding[] = [];
  for (const d of demand) {
    const row = rows.find((r) => r.service === d.service);
    if (!row) continue;
    const need = littlesLawPoolSize(d, row.replicas, burstFactor);
    const busy = (d.queriesPerSec * d.meanQueryMs) / 1000;
    const base = {
      location: d.service,
      explanation: `L = lambda x W = ${d.queriesPerSec.toFixed(1)}/s x ${d.meanQueryMs.toFixed(2)} ms = ${busy.toFixed(2)} busy connections; x${burstFactor} for bursts / ${row.replicas} replica(s) = ${need} per replica.`,
      evidence: { ...d, need, poolMax: row.poolMax },
      claimIds: ['NV-6'],
    };
    if (row.poolMax < need) {
      out.push({ ...base, checkId: 'pool-too-small', severity: 'HIGH', title: `${d.service} pool of ${row.poolMax} is below the ${need} Little's law asks for`, problem: `Measured demand keeps ${busy.toFixed(1)} connections busy on average.`, impact: 'Requests queue for a connection at bursts; the wait adds directly to latency and then to timeouts.', fix: `Raise the pool to ${need} per replica (within the budget), or cut query time (indexes above).` });
    } else if (row.poolMax >= need * 4 && row.poolMax - need >= 10) {
      out.push({ ...base, checkId: 'pool-oversized', severity: 'LOW', title: `${d.service} pool of ${row.poolMax} is ${Math.round(row.poolMax / need)}x what it uses`, problem: `Little's law asks for ${need} per replica.`, impact: 'The spare connections count against the shared budget and let this service crowd others out.', fix: `Lower the pool towards ${need}-${need * 2} and give the budget to services that need it.` });
    }
  }
  return out;
}
