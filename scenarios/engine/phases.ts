/** A plan's phases and its peak VU count, shared by the engine and its worker coordinator. */
import type { Plan } from '../k6/lib/plans.js';
import type { PhaseDef } from './recorder.ts';
import { phaseNames } from './schedule.ts';

export function maxVusOf(plan: Plan): number {
  const c = plan.scenario;
  switch (c.executor) {
    case 'constant-vus':
    case 'per-vu-iterations':
      return c.vus;
    case 'ramping-vus':
      return Math.max(c.startVUs ?? 0, ...c.stages.map((s) => s.target));
    case 'constant-arrival-rate':
    case 'ramping-arrival-rate':
      return c.maxVUs ?? c.preAllocatedVUs;
  }
}

/** Phases: the plan's stages, or chat-burst's connect / burst / drain windows. */
export function phasesOf(plan: Plan): PhaseDef[] {
  if (plan.chat) {
    const c = plan.chat;
    const a = c.connectWindowS * 1000;
    const b = a + c.burstS * 1000;
    return [
      { name: 'connect', startMs: 0, endMs: a, targetVus: maxVusOf(plan) },
      { name: 'burst', startMs: a, endMs: b, targetVus: maxVusOf(plan) },
      // Late samples (after the drain window) are counted in the last phase.
      { name: 'drain', startMs: b, endMs: b + c.drainS * 1000 },
    ];
  }
  return phaseNames(plan.scenario).map((p) => ({
    name: p.name,
    startMs: p.startS * 1000,
    endMs: p.endS * 1000,
    ...(p.unit === 'vus' ? { targetVus: p.target } : { targetRatePerSec: p.target }),
  }));
}
