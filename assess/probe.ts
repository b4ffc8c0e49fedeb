/**
 * A claim probe: one file per claim (or a few claims measured together), listed in
 * assess/probes/index.ts. It measures by toggling the one switch the claim is about, and returns
 * one ClaimResult per claim id with the measured values and a verdict. A probe that cannot
 * measure here returns NOT MEASURABLE HERE with the reason (and a model's estimate when it has one);
 * it never invents a number.
 */
import type { ClaimResult } from '../core/index.ts';
import type { AssessContext, AssessProfile } from './context.ts';

export interface ClaimProbe {
  id: string;
  claimIds: string[];
  description: string;
  /** Profiles the probe runs in (a 20 s breaker probe runs in smoke; a 24 h soak never does). */
  profiles: AssessProfile[];
  /**
   * Runs beside the probes after it instead of before them: only for a probe that flips no switch,
   * sends no load to the platform and touches no shared proxy (it mostly waits, e.g. on a 30 s
   * idle timeout), so it cannot disturb what the others measure.
   */
  background?: boolean;
  run(ctx: AssessContext): Promise<Omit<ClaimResult, 'claim'>[]>;
}
