/**
 * `brink audit indexes`: for each query, the indexes it wants (parse tree), whether existing
 * indexes serve them (pg_index), a proof of each missing one (HypoPG or a rolled-back real
 * index), and the hygiene of what exists (duplicate, redundant, unused).
 */
import type pg from 'pg';
import type { Finding, Severity } from '../../core/index.ts';
import type { NamedQuery } from '../../sql-audit/index.ts';
import { describePgError } from '../db.ts';
import { datasetMissingFinding } from '../explain/audit-sql.ts';
import { type DatasetInfo, type ParamCache, ParamError, readDatasetInfo, resolveParams } from '../explain/params.ts';
import { round } from '../explain/plan.ts';
import { checkStatement } from '../explain/statement.ts';
import type { AuditReport } from '../report.ts';
import { coverage } from './compare.ts';
import { deriveWantedIndexes } from './derive.ts';
import { readExistingIndexes, readStatsReset } from './existing.ts';
import { indexHygiene } from './hygiene.ts';
import { type Proof, hypopgAvailability, proveIndex, proveIndexes } from './prove.ts';
import type { WantedIndex } from './types.ts';

export interface IndexAuditOptions {
  timeoutMs: number;
  realIndexes: boolean;
  analyzeWrites: boolean;
  reportUnused: boolean;
  expectDataset: boolean;
  target: string;
  paramCache?: ParamCache;
}

export interface WantedDetail {
  queryId: string;
  ddl: string;
  reason: string;
  status: 'covered' | 'partial' | 'missing';
  coveredBy?: string;
  proof?: Proof;
}

export interface IndexAuditDetails {
  hypopg: string;
  wanted: WantedDetail[];
}

/** Severity of a proven suggestion from how much it cuts the planner's cost. */
export function severityForRatio(ratio: number): Severity {
  return ratio >= 100 ? 'CRITICAL' : ratio >= 10 ? 'HIGH' : ratio >= 2 ? 'MEDIUM' : 'LOW';
}

function suggestionFinding(ddl: string, items: WantedDetail[], claimIds: string[]): Finding {
  const proven = items.filter((i) => i.proof?.proven).sort((a, b) => (b.proof!.costRatio ?? 0) - (a.proof!.costRatio ?? 0));
  const best = proven[0] ?? items[0]!;
  const p = best.proof;
  const ratio = p?.costRatio ?? 1;
  const time = p?.before?.executionMs !== undefined && p.after?.executionMs !== undefined
    ? `; measured ${round(p.before.executionMs, 2)} ms -> ${round(p.after.executionMs, 2)} ms` : '';
  const partial = items.find((i) => i.coveredBy);
  return {
    checkId: proven.length ? 'missing-index' : 'unproven-index',
    severity: proven.length ? severityForRatio(ratio) : 'INFO',
    title: proven.length ? `Missing index: ${ddl}` : `Suggested index not proven: ${ddl}`,
    location: [...new Set(items.map((i) => i.queryId))].join(', '),
    problem: `${best.queryId} wants ${best.reason}; ${partial ? `${partial.coveredBy} serves only part of it` : 'no existing index serves it'}.`,
    impact: p?.before && p.after
      ? `Plan ${p.before.shape} (cost ${p.before.cost}) -> ${p.after.shape} (cost ${p.after.cost}), ${ratio.toFixed(1)}x${time}.`
      : `Not measured: ${p?.reason ?? 'no proof'}.`,
    fix: proven.length ? `${ddl.replace(/^CREATE INDEX ON /, 'CREATE INDEX CONCURRENTLY ON ')};` : `Not recommended without proof: ${p?.reason ?? ''}`,
    explanation: `Derived from the parse tree (equality, then ORDER BY/range columns, partial on constant predicates); ${p ? `proof by ${p.method}: ${p.reason}` : 'no proof ran'}.`,
    ...(claimIds.length ? { claimIds } : {}),
    evidence: { items },
  };
}

export async function auditIndexes(client: pg.Client, queries: readonly NamedQuery[], opts: IndexAuditOptions): Promise<AuditReport<IndexAuditDetails>> {
  const started = Date.now();
  const findings: Finding[] = [];
  const notes: string[] = [];
  const info: DatasetInfo | undefined = await readDatasetInfo(client, opts.timeoutMs).catch(() => undefined);
  if (!info && opts.expectDataset) findings.push(datasetMissingFinding());
  const existing = await readExistingIndexes(client, opts.timeoutMs);
  const hypopg = await hypopgAvailability(client, opts.timeoutMs).catch((e): { installed: false; creatable: false; reason: string } => ({ installed: false, creatable: false, reason: describePgError(e).message }));
  const hypopgText = hypopg.installed ? 'installed' : hypopg.reason;
  if (!hypopg.installed && !hypopg.creatable) {
    findings.push({
      checkId: 'hypopg-missing',
      severity: 'INFO',
      title: 'HypoPG is not available',
      location: 'database',
      problem: `${hypopg.reason}.`,
      impact: opts.realIndexes ? 'Suggestions are proven with real indexes built inside rolled-back transactions (slower; a SHARE lock on the table meanwhile).' : 'Suggested indexes are reported without proof.',
      fix: 'Install HypoPG (Debian: postgresql-15-hypopg) and CREATE EXTENSION hypopg, or pass --real-indexes on a copy of the database.',
      explanation: "SELECT 1 FROM pg_extension WHERE extname = 'hypopg' found nothing and CREATE EXTENSION hypopg failed.",
    });
  }
  const paramCache = opts.paramCache ?? new Map();
  const wanted: WantedDetail[] = [];
  const byDdl = new Map<string, { items: WantedDetail[]; claims: Set<string> }>();
  for (const query of queries) {
    const derived = await deriveWantedIndexes(query.id, query.sql);
    if (!derived.ok) {
      findings.push({ checkId: 'audit-input', severity: 'MEDIUM', title: `Not audited: ${derived.reason.split(':')[0]}`, location: query.id, problem: derived.reason, impact: 'No index can be derived for this query.', fix: 'Fix the SQL so it parses as one statement.', explanation: 'Indexes are derived from the Postgres parse tree.' });
      continue;
    }
    const stmt = await checkStatement(query.sql);
    const toProve: Array<{ w: WantedIndex; detail: WantedDetail }> = [];
    for (const w of derived.wanted) {
      const c = coverage(w, existing);
      const detail: WantedDetail = { queryId: query.id, ddl: w.ddl, reason: w.reason, status: c.status, ...(c.by ? { coveredBy: c.by.name } : {}) };
      wanted.push(detail);
      if (c.status !== 'covered') toProve.push({ w, detail });
    }
    if (toProve.length === 0) continue;
    let values: unknown[] | undefined;
    if (stmt.ok && stmt.paramCount === query.params.length) {
      try {
        values = (await resolveParams(client, query.params, info, opts.timeoutMs, paramCache)).values;
      } catch (e) {
        if (!(e instanceof ParamError)) throw e;
        notes.push(`${query.id}: ${e.message}`);
      }
    } else {
      notes.push(`${query.id}: ${stmt.ok ? `the SQL uses ${stmt.paramCount} parameters but ${query.params.length} value(s) are given` : stmt.reason}; suggestions left unproven`);
    }
    const proveOpts = { timeoutMs: opts.timeoutMs, hypopg, realIndexes: opts.realIndexes, writes: stmt.ok && stmt.writes, analyzeWrites: opts.analyzeWrites };
    for (const { w, detail } of toProve) {
      detail.proof = values ? await proveIndex(client, w, query.sql, values, proveOpts) : { method: 'none', proven: false, reason: 'no parameter values to explain the query with' };
    }
    // Indexes that only pay off together (an OR over two columns, both sides of a join): prove them jointly.
    const alone = toProve.filter((t) => !t.detail.proof?.proven);
    if (values && alone.length > 1) {
      const joint = await proveIndexes(client, alone.map((t) => t.w), query.sql, values, proveOpts);
      joint.forEach((p, i) => {
        if (p.proven) alone[i]!.detail.proof = { ...p, reason: `together with ${alone.filter((_, j) => j !== i).map((t) => t.w.ddl).join('; ')}: ${p.reason}` };
      });
    }
    for (const { w, detail } of toProve) {
      const group = byDdl.get(w.ddl) ?? { items: [], claims: new Set<string>() };
      group.items.push(detail);
      for (const c of query.claimIds ?? []) group.claims.add(c);
      byDdl.set(w.ddl, group);
    }
  }
  for (const [ddl, g] of byDdl) findings.push(suggestionFinding(ddl, g.items, [...g.claims]));
  const statsReset = await readStatsReset(client, opts.timeoutMs).catch(() => null);
  findings.push(...indexHygiene({ indexes: existing, statsReset, reportUnused: opts.reportUnused }));
  return { kind: 'indexes', target: opts.target, startedAt: new Date(started).toISOString(), durationMs: Date.now() - started, findings, notes, details: { hypopg: hypopgText, wanted } };
}
