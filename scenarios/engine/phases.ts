/** A plan's phases and its peak VU count, read from its compiled schedule by the engine, its worker coordinator and the runs. */
import type { Plan } from '../k6/lib/plans.js';
import type { PhaseDef } from './recorder.ts';
import { phaseNamesOf, scheduleOf, type Schedule } from './schedule.ts';

export function maxVusOf(plan: Plan): number {
  return scheduleOf(plan).maxVus;
}

/** Phases: the plan's stages, or chat-burst's connect / burst / drain windows. */
export function phasesOf(plan: Plan): PhaseDef[] {
  return phasesOfSchedule(scheduleOf(plan));
}

export function phasesOfSchedule(schedule: Schedule): PhaseDef[] {
  if (schedule.chat) {
    const { connectEndMs, burstEndMs, drainEndMs } = schedule.chat;
    return [
      { name: 'connect', startMs: 0, endMs: connectEndMs, targetVus: schedule.maxVus },
      { name: 'burst', startMs: connectEndMs, endMs: burstEndMs, targetVus: schedule.maxVus },
      // Late samples (after the drain window) are counted in the last phase.
      { name: 'drain', startMs: burstEndMs, endMs: drainEndMs },
    ];
  }
  return phaseNamesOf(schedule).map((p) => ({
    name: p.name,
    startMs: p.startS * 1000,
    endMs: p.endS * 1000,
    ...(p.unit === 'vus' ? { targetVus: p.target } : { targetRatePerSec: p.target }),
  }));
}
