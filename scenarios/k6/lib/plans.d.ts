// Types of plans.js for the TypeScript side (the Node engine and brink); k6 ignores this file.
export interface Stage { duration: string; target: number }
export type ExecutorConfig =
  | { executor: 'constant-vus'; vus: number; duration: string }
  | { executor: 'ramping-vus'; startVUs?: number; stages: Stage[]; gracefulRampDown?: string }
  | { executor: 'constant-arrival-rate'; rate: number; timeUnit?: string; duration: string; preAllocatedVUs: number; maxVUs?: number }
  | { executor: 'ramping-arrival-rate'; startRate?: number; timeUnit?: string; stages: Stage[]; preAllocatedVUs: number; maxVUs?: number }
  | { executor: 'per-vu-iterations'; vus: number; iterations: number; maxDuration?: string };
export interface ChatParams { connectWindowS: number; burstS: number; drainS: number; burstSize: number; burstIntervalMs: number }
export interface Plan { scenario: ExecutorConfig; chat?: ChatParams; thresholds: Record<string, string[]> }
export const THRESHOLDS: Record<string, Record<string, string[]>>;
export const PLANS: Record<string, Record<string, { scenario: ExecutorConfig; chat?: ChatParams }>>;
export const PROFILE_NAMES: string[];
export function parseDurationS(text: string): number;
export function planFor(scenario: string, profile: string, timeScale?: number): Plan;
