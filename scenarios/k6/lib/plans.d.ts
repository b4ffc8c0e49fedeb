// Types of plans.js for the TypeScript side (the Node engine and brink); k6 ignores this file.
import type { ChatParams, ExecutorConfig, Schedule } from './schedule.js';

export type { ChatParams, ExecutorConfig, Schedule, Stage } from './schedule.js';
export interface Plan {
  scenario: ExecutorConfig;
  chat?: ChatParams;
  thresholds: Record<string, string[]>;
  /** The plan compiled once (planFor does it); a plan written by hand is compiled by scheduleOf. */
  schedule?: Schedule;
}
export const THRESHOLDS: Record<string, Record<string, string[]>>;
export const PLANS: Record<string, Record<string, { scenario: ExecutorConfig; chat?: ChatParams }>>;
export const PROFILE_NAMES: string[];
export function parseDurationS(text: string): number;
export function planFor(scenario: string, profile: string, timeScale?: number): Plan;
