/** The analyzers' public API: SQL (EXPLAIN) audit, index audit, pool budget, capacity and SLIs. */
export { connectDirect, redactUrl } from './db.ts';
export { type AuditReport, atOrAbove, countBySeverity, renderFindings, sortFindings } from './report.ts';
export { auditSql, type QueryAuditDetail, type SqlAuditOptions } from './explain/audit-sql.ts';
export { PLAN_CHECKS, type PlanCheck } from './explain/checks/index.ts';
export { DEFAULT_PLAN_THRESHOLDS, type PlanThresholds, resolvePlanThresholds } from './explain/thresholds.ts';
export { type ExplainOutput, type PlanNode, type PlanSnapshot, planShape, walkPlan } from './explain/plan.ts';
export { loadQueryFolder, parseQueryFile } from './explain/query-folder.ts';
export { checkStatement } from './explain/statement.ts';
export { explainInTransaction, safeExplain, type SafeExplainOptions } from './explain/safe-explain.ts';
export { auditIndexes, type IndexAuditDetails, type IndexAuditOptions } from './indexes/audit-indexes.ts';
export { deriveWantedIndexes } from './indexes/derive.ts';
export { auditPools, renderBudget, type PoolAuditDetails } from './pools/audit-pools.ts';
export { budgetFindings, poolBudget, type PoolBudget } from './pools/budget.ts';
export { type Deployment, parseDeployment } from './pools/deployment.ts';
export { readPgbouncerSettings, readPostgresLimits, snapshotStatements } from './pools/collect.ts';
export { referenceDeployment } from './pools/reference.ts';
export * from './capacity/index.ts';
// Test support (the analyzers' integration tests and `npm run bench:audit`): a dataset built without the seed.
export { loadTestData, type TestDataOptions } from './test-data.ts';
