/**
 * The engine's options, events and result: read by the engine, its worker threads and their
 * coordinator, so they live apart from all three.
 */
import type { TimeSeriesPoint } from '../../core/index.ts';
import type { Plan } from '../k6/lib/plans.js';
import type { ParsedMetricKey } from '../thresholds.ts';
import type { ScenarioDescriptor, SetupData } from '../types.ts';
import type { Stripe } from '../segments/stripe.ts';
import type { PhaseDef, Recorder, RecorderState } from './recorder.ts';

export interface EngineRunOptions {
  scenario: ScenarioDescriptor;
  plan: Plan;
  data: SetupData;
  /** Tag-filtered submetrics the thresholds refer to. */
  submetrics?: ParsedMetricKey[];
  signal?: AbortSignal;
  /** How long iterations may finish after the plan ends (k6's gracefulStop), s. */
  gracefulStopS?: number;
  /** Open model: arrivals waiting for a free VU beyond this are dropped (counted). */
  maxQueued?: number;
  /** The part of the plan to run (segment i/N: VUs i, i+N, …, arrivals i-1, i-1+N, …); all of it by default. */
  stripe?: Stripe;
  /**
   * Worker threads, one event loop each, splitting the stripe among them; their histograms are
   * merged at the end (1: run on this thread). Workers need scenarioRef to load the scenario.
   */
  workers?: number;
  /** How a worker thread finds the scenario: a registered id, or a module and its export. */
  scenarioRef?: ScenarioRef;
}

export type ScenarioRef = { id: string } | { module: string; exportName: string };

export type EngineResult = ReturnType<Recorder['finish']> & {
  /** Any aggregation of any metric from the run's histograms (thresholds: any percentile). */
  lookup: Recorder['lookup'];
  durationMs: number;
  aborted: boolean;
  notes: string[];
  startedAt: string;
  phaseDefs: PhaseDef[];
  /** Everything recorded, histograms encoded: what a segment's result file carries. */
  state: RecorderState;
};

export interface EngineTick extends TimeSeriesPoint {
  elapsedMs: number;
  plannedMs: number;
  requestsSoFar: number;
  errorsSoFar: number;
  p99SoFarMs: number;
}

export interface EngineEvents {
  start: [{ plannedMs: number; startedAt: string }];
  tick: [EngineTick];
  response: [{ metric: string; value: number; tags: Record<string, string> }];
  done: [EngineResult];
}
