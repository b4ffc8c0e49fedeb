/**
 * `brink audit sql`: EXPLAIN every query (catalog or folder), run every plan check on each plan,
 * and gather the findings. The collector does the I/O; the checks are pure.
 */
import type pg from 'pg';
import type { Finding } from '../../core/index.ts';
import type { NamedQuery } from '../../sql-audit/index.ts';
import type { AuditReport } from '../report.ts';
import { PLAN_CHECKS } from './checks/index.ts';
import { type ExplainOptions, explainQuery } from './collector.ts';
import { type DatasetInfo, readDatasetInfo } from './params.ts';
import { planShape, round } from './plan.ts';
import { DEFAULT_PLAN_THRESHOLDS, type PlanThresholds } from './thresholds.ts';

export interface QueryAuditDetail {
  queryId: string;
  params: string[];
  analyzed: boolean;
  planShape?: string;
  executionMs?: number;
  /** Wall time spent on this query by the audit: parameter picks and EXPLAIN ANALYZE. */
  auditMs: number;
  totalCost?: number;
  notes: string[];
}

export interface SqlAuditOptions extends ExplainOptions {
  thresholds?: PlanThresholds;
  /** Whether the queries expect the seeded dataset (catalog): a missing dataset_info is then a finding. */
  expectDataset: boolean;
  target: string;
}

export function datasetMissingFinding(): Finding {
  return {
    checkId: 'dataset-info-missing',
    severity: 'INFO',
    title: 'No dataset_info: parameters picked from the data itself',
    location: 'dataset_info',
    problem: "This database has no dataset_info row 'dataset' (it was not seeded by brink), so the heavy users and conversations of the seed are unknown.",
    impact: 'Parameters are the users/conversations with the most rows found by GROUP BY queries; plans are representative of this data, not of a named scale.',
    fix: 'Seed the database with brink (it records dataset_info), or accept the picks listed per query.',
    explanation: "SELECT value FROM dataset_info WHERE key = 'dataset' found no table or row.",
  };
}

export async function auditSql(client: pg.Client, queries: readonly NamedQuery[], opts: SqlAuditOptions): Promise<AuditReport<QueryAuditDetail[]>> {
  const started = Date.now();
  const thresholds = opts.thresholds ?? DEFAULT_PLAN_THRESHOLDS;
  const findings: Finding[] = [];
  const details: QueryAuditDetail[] = [];
  const info: DatasetInfo | undefined = await readDatasetInfo(client, opts.timeoutMs).catch(() => undefined);
  if (!info && opts.expectDataset) findings.push(datasetMissingFinding());
  const paramCache = opts.paramCache ?? new Map();
  for (const query of queries) {
    const t0 = Date.now();
    const explained = await explainQuery(client, query, info, { ...opts, paramCache });
    findings.push(...explained.problems);
    const detail: QueryAuditDetail = { queryId: query.id, params: explained.params?.sources ?? [], analyzed: explained.snapshot?.analyzed ?? false, auditMs: Date.now() - t0, notes: explained.notes };
    const snap = explained.snapshot;
    if (snap) {
      detail.planShape = planShape(snap.plan.Plan);
      if (snap.plan['Execution Time'] !== undefined) detail.executionMs = round(snap.plan['Execution Time'], 3);
      if (snap.plan.Plan['Total Cost'] !== undefined) detail.totalCost = snap.plan.Plan['Total Cost'];
      for (const check of PLAN_CHECKS.all()) findings.push(...check.check(snap, thresholds));
    }
    details.push(detail);
  }
  return {
    kind: 'sql',
    target: opts.target,
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    findings,
    notes: info ? [`dataset: ${JSON.stringify({ scale: info.scale, seed: info.seed })}`] : [],
    details,
  };
}
