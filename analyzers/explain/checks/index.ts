/** The plan checks, one per file. Add a check: see analyzers/HOWTO-checks.md. */
import { Registry } from '../../../core/index.ts';
import type { PlanCheck } from './types.ts';
import { filterDiscardsMostRows } from './filter-discards-most-rows.ts';
import { nestedLoopManyLoops } from './nested-loop-many-loops.ts';
import { rowEstimateOff } from './row-estimate-off.ts';
import { seqScanLargeTable } from './seq-scan-large-table.ts';
import { sortUnderLimit } from './sort-under-limit.ts';
import { spillToDisk } from './spill-to-disk.ts';

export type { PlanCheck } from './types.ts';

export const PLAN_CHECKS = new Registry<PlanCheck>('plan check', [
  seqScanLargeTable,
  sortUnderLimit,
  nestedLoopManyLoops,
  rowEstimateOff,
  filterDiscardsMostRows,
  spillToDisk,
]);
