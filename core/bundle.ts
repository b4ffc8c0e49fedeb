/**
 * Where results live on disk, so producers (scenarios, audits, chaos, assess) and readers
 * (reports) agree without importing each other.
 *
 * A run directory (one scenario run):            An assessment directory (brink assess):
 *   summary.json      RunSummary                   runs/<name>/    run directories
 *   histograms.json   { [metric]: base64 HDR }     audit/findings.json   Finding[]
 *   k6-summary.json   k6's own summary (k6 only)   audit/pools.json      PoolBudget (analyzers)
 *   raw/              k6's raw metrics             chaos/<experiment>.json ExperimentResult
 *                                                  claims.json     ClaimResult[]
 *                                                  assessment.json AssessmentMeta
 */
export const RUN_FILES = {
  summary: 'summary.json',
  histograms: 'histograms.json',
  k6Summary: 'k6-summary.json',
  raw: 'raw',
} as const;

export const ASSESSMENT_FILES = {
  runs: 'runs',
  findings: 'audit/findings.json',
  explains: 'audit/explains.json',
  pools: 'audit/pools.json',
  chaos: 'chaos',
  claims: 'claims.json',
  meta: 'assessment.json',
} as const;

export interface AssessmentMeta {
  title: string;
  startedAt: string;
  finishedAt?: string;
  profile: string;
  scale: string;
  /** false when interrupted or a step failed: what is here is what was gathered. */
  complete: boolean;
  steps: { name: string; status: 'ok' | 'failed' | 'skipped'; durationMs: number; error?: string }[];
  gitSha: string;
}
