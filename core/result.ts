/**
 * The result model shared by every area. Load engines (k6 and Node) write RunSummary;
 * analyzers and chaos write Findings and Verdicts; reports and `brink assess` only read these.
 * Everything here is plain JSON so it can be written to a run directory and read back.
 * Units are in the names (…Ms, …PerSec); latencies are milliseconds.
 */

import type { Attribution } from './attribution.ts';
export type { Attribution, AttributionSample, ComponentSeries, HopTiming, PoolWaitSample, SaturationFinding } from './attribution.ts';

export const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFO'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** A problem (or a note of "not applicable") found by a check, in the Nova audit's shape. */
export interface Finding {
  /** The check that produced it, e.g. "sort-under-limit". */
  checkId: string;
  severity: Severity;
  title: string;
  /** Where: a query name, a service, a config file. */
  location: string;
  problem: string;
  impact: string;
  fix: string;
  /** Why the check concluded this, with the numbers it used. */
  explanation: string;
  /** Claim ids from shared/assessments/README.md this finding bears on (e.g. "NV-1"). */
  claimIds?: string[];
  evidence?: Record<string, unknown>;
}

/** Latency statistics of one trend, in milliseconds. Percentiles come from HDR histograms. */
export interface TrendValues {
  count: number;
  min: number;
  mean: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  p999: number;
  max: number;
}

/**
 * A metric in k6's own naming: "http_req_duration", "http_req_duration{name:feed}",
 * "http_req_failed", "chat_ack_duration"… so a thresholds file written for k6 applies to both engines.
 */
export type MetricSummary =
  | { type: 'trend'; values: TrendValues }
  | { type: 'rate'; values: { rate: number; passes: number; fails: number } }
  | { type: 'counter'; values: { count: number; ratePerSec: number } }
  | { type: 'gauge'; values: { value: number; min: number; max: number } };

export interface EndpointSummary {
  /** Request name tag, e.g. "feed" or "get_user_posts". */
  name: string;
  requests: number;
  errors: number;
  ratePerSec: number;
  latencyMs: TrendValues;
  statusCounts: Record<string, number>;
}

export interface PhaseSummary {
  name: string;
  startMs: number;
  endMs: number;
  targetVus?: number;
  targetRatePerSec?: number;
  requests: number;
  errors: number;
  ratePerSec: number;
  latencyMs: TrendValues;
}

/** One point of the run's time series, per second (or per bucket). tMs is since run start. */
export interface TimeSeriesPoint {
  tMs: number;
  requests: number;
  errors: number;
  ratePerSec: number;
  offeredRatePerSec?: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  vus?: number;
  sockets?: number;
}

export interface ThresholdResult {
  metric: string;
  expression: string;
  ok: boolean;
  /** The measured value the expression was checked against, if known. */
  actual?: number;
}

/** A fault window or other event to draw over the time series (chaos). */
export interface TimelineEvent {
  tMs: number;
  kind: 'fault-start' | 'fault-stop' | 'phase' | 'note' | 'breaker';
  label: string;
  details?: Record<string, unknown>;
}

export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  memoryGb: number;
  os: string;
  node: string;
}

/** Everything needed to say what a run was: code, platform variant, data, tools, machine. */
export interface RunCard {
  runId: string;
  scenario: string;
  profile: string;
  engine: 'k6' | 'node';
  engineVersion: string;
  gitSha: string;
  variant: string;
  switches: Record<string, boolean>;
  /** How the platform's processes were laid out (core/layout.ts), when brink started it. */
  layout?: { split: boolean; gatewayInstances: number };
  dataset: string;
  target: string;
  machine: MachineInfo;
  startedAt: string;
  durationMs: number;
  timeScale?: number;
  repetitions?: number;
  /** A segment run (`brink run --segment i/N`): which slice of the plan it ran. */
  segment?: { index: number; count: number };
  /** A merged result (`brink merge`, `brink run --instances N`): how many parts, from which engine's files. */
  merged?: { parts: number; from: 'brink-segments' | 'k6-csv' };
}

export type RunStatus = 'passed' | 'failed' | 'aborted' | 'incomplete';

export interface RunSummary {
  schemaVersion: 1;
  card: RunCard;
  status: RunStatus;
  totals: {
    requests: number;
    errors: number;
    errorRate: number;
    ratePerSec: number;
    latencyMs: TrendValues;
  };
  endpoints: EndpointSummary[];
  phases: PhaseSummary[];
  metrics: Record<string, MetricSummary>;
  timeSeries: TimeSeriesPoint[];
  thresholds: ThresholdResult[];
  timeline: TimelineEvent[];
  /** Counts that make loss a number: sent, acked, delivered, rate-limited (self-provoked 429s)… */
  counters: Record<string, number>;
  notes: string[];
  /** Where the time went (per-process CPU, event-loop lag, pool waiters, per-hop time), when a local stack was sampled. */
  attribution?: Attribution;
}

export const CLAIM_VERDICTS = ['CONFIRMED', 'REFUTED', 'PARTLY', 'NOT MEASURABLE HERE', 'NOT RUN'] as const;
export type ClaimVerdict = (typeof CLAIM_VERDICTS)[number];

/** One row of the claims table (brink assess). */
export interface ClaimResult {
  id: string;
  claim: string;
  /** How it was tested: the switch toggled, the scenario, query or experiment. */
  method: string;
  measured: string;
  verdict: ClaimVerdict;
  reason: string;
  /** Where it cannot be measured on one machine but can be modelled: the model's estimate. */
  modelEstimate?: string;
  values?: Record<string, number>;
  /** The claim's headline target as numbers (same unit both sides), for the claimed-vs-measured chart. */
  headline?: ClaimHeadline;
}

/** One numeric target of a claim: what it claimed, what was measured, and which direction holds it. */
export interface ClaimHeadline {
  /** The target as the claim states it, e.g. "with the index < 10 ms". */
  metric: string;
  unit: string;
  claimed: number;
  measured: number;
  /** 'lower': the target holds when measured <= claimed; 'higher': when measured >= claimed. */
  better: 'lower' | 'higher';
}

/** A chaos experiment's outcome: one verdict per hypothesis, with measured values. */
export interface HypothesisVerdict {
  hypothesis: string;
  phase: 'before' | 'during' | 'after';
  ok: boolean;
  measured: Record<string, number | string>;
  explanation: string;
}

export interface ExperimentResult {
  experiment: string;
  description: string;
  /** The claims this experiment bears on (its descriptor's list); absent in results written before. */
  claimIds?: string[];
  ok: boolean;
  verdicts: HypothesisVerdict[];
  timeline: TimelineEvent[];
  /** Time from fault start to the first observed effect, and from fault stop to steady state. */
  timeToDetectMs?: number;
  timeToRecoverMs?: number;
  run?: RunSummary;
  notes: string[];
}
