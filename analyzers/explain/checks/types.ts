import type { Finding } from '../../../core/index.ts';
import type { PlanSnapshot } from '../plan.ts';
import type { PlanThresholds } from '../thresholds.ts';

/** A plan check: a pure function of one query's plan. One per file, listed in ./index.ts. */
export interface PlanCheck {
  id: string;
  description: string;
  check: (snapshot: PlanSnapshot, thresholds: PlanThresholds) => Finding[];
}
