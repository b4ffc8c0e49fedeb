// Types of schedule.js for the TypeScript side; k6 ignores this file. The executor configs (k6's
// own syntax) are defined here, the vocabulary the compiler reads; plans.d.ts re-exports them.
export interface Stage { duration: string; target: number }
export type ExecutorConfig =
  | { executor: 'constant-vus'; vus: number; duration: string }
  | { executor: 'ramping-vus'; startVUs?: number; stages: Stage[]; gracefulRampDown?: string }
  | { executor: 'constant-arrival-rate'; rate: number; timeUnit?: string; duration: string; preAllocatedVUs: number; maxVUs?: number }
  | { executor: 'ramping-arrival-rate'; startRate?: number; timeUnit?: string; stages: Stage[]; preAllocatedVUs: number; maxVUs?: number }
  | { executor: 'per-vu-iterations'; vus: number; iterations: number; maxDuration?: string };
export interface ChatParams { connectWindowS: number; burstS: number; drainS: number; burstSize: number; burstIntervalMs: number }

/** A stretch of a piecewise-linear plan: the value ramps from `from` to `to` over durationS. */
export interface Segment {
  startS: number;
  durationS: number;
  from: number;
  to: number;
}

export interface Schedule {
  executor: ExecutorConfig['executor'];
  /** Arrival-rate executors: arrivals at planned times whatever the latency (open model). */
  open: boolean;
  /** The planned length, s, without graceful stop. */
  durationS: number;
  /** VUs (closed model) or arrivals per second (open model) over time. */
  segments: Segment[];
  /** Peak VUs: the VUs a closed model reaches, or an open model's cap (maxVUs, else preAllocatedVUs). */
  maxVus: number;
  /** per-vu-iterations: the iterations each VU runs. */
  iterations?: number;
  /** Chat-burst's windows, ms from the start. */
  chat?: { connectEndMs: number; burstEndMs: number; drainEndMs: number };
}

export interface SchedulePlan { scenario: ExecutorConfig; chat?: ChatParams; schedule?: Schedule }

export function parseDurationS(text: string): number;
export function rampSegments(start: number, stages: readonly Stage[]): Segment[];
export function compileSchedule(plan: SchedulePlan): Schedule;
export function scheduleOf(plan: SchedulePlan): Schedule;
