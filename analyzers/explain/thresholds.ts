/**
 * Thresholds of the plan checks, with the built-in defaults. Lookup order (STYLE.md): per target,
 * then a config file, then these defaults; callers merge with resolvePlanThresholds.
 */
import { z } from 'zod';

export const PlanThresholdsSchema = z.object({
  /** A sequential scan reading at least this many rows is a finding (HIGH)... */
  seqScanHighRows: z.number().int().positive().default(10_000),
  /** ...and CRITICAL from this many. */
  seqScanCriticalRows: z.number().int().positive().default(100_000),
  /** A Sort under a Limit sorting at least this many rows is MEDIUM, then HIGH, then CRITICAL (NV-1: 10,000 posts). */
  sortUnderLimitMediumRows: z.number().int().positive().default(500),
  sortUnderLimitHighRows: z.number().int().positive().default(2_000),
  sortUnderLimitCriticalRows: z.number().int().positive().default(10_000),
  /** A nested loop's inner side executed at least this many times is MEDIUM, 10x that HIGH. */
  nestedLoopMediumLoops: z.number().int().positive().default(1_000),
  /** Planner estimate vs actual rows differing by at least this factor. */
  estimateErrorFactor: z.number().positive().default(10),
  /** Ignore estimate errors on nodes where both numbers are below this (1 vs 12 rows is noise). */
  estimateMinRows: z.number().int().nonnegative().default(100),
  /** Share of read rows a filter throws away... */
  filterDiscardShare: z.number().min(0).max(1).default(0.9),
  /** ...counted only from this many rows removed. */
  filterDiscardMinRows: z.number().int().nonnegative().default(1_000),
});

export type PlanThresholds = z.infer<typeof PlanThresholdsSchema>;

export const DEFAULT_PLAN_THRESHOLDS: PlanThresholds = PlanThresholdsSchema.parse({});

/** Defaults overlaid with a config file's values, then a target's own. */
export function resolvePlanThresholds(...overrides: Array<Partial<PlanThresholds> | undefined>): PlanThresholds {
  return PlanThresholdsSchema.parse(Object.assign({}, ...overrides.filter(Boolean)));
}
