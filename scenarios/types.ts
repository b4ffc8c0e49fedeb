/**
 * What a scenario is, what it is given and what it emits. A scenario is one descriptor file
 * (feed.ts, chat-burst.ts, search-spike.ts) listed in registry.ts: its k6 script, and the same
 * behaviour for the Node engine. Load plans (profiles) live in k6/lib/plans.js so stock k6 and the
 * Node engine read the very same stages.
 */
import type { EventEmitter } from 'node:events';
import type { TimeSeriesPoint, RunSummary } from '../core/index.ts';
import type { VuContext } from './engine/vu-context.ts';

export const ENGINES = ['k6', 'node'] as const;
export type EngineId = (typeof ENGINES)[number];

export const PROFILES = ['smoke', 'load', 'stress', 'spike', 'soak'] as const;
export type ProfileId = (typeof PROFILES)[number];

/** A thresholds object in k6's own syntax: metric (tag filters allowed) -> expressions. */
export type ThresholdsSpec = Record<string, Array<string | { threshold: string; abortOnFail?: boolean }>>;

export type { SeededUser, SetupData } from './setup-data-shape.ts';

/** The Node engine's half of a scenario: what one iteration of one VU does. */
export interface NodeScenario {
  /** One iteration. Closed model: run back to back by each VU; open model: once per arrival. */
  iteration(vu: VuContext): Promise<void>;
}

export interface ScenarioDescriptor {
  id: string;
  description: string;
  /** File under scenarios/k6/. */
  k6Script: string;
  /** Key of this scenario in k6/lib/plans.js (PLANS[planKey]). */
  planKey: string;
  /** Metrics it emits (k6 rejects thresholds on any other, so brink does too, before the run). */
  metrics: readonly string[];
  node: NodeScenario;
}

/** Progress while a run is under way (a display listens; engines never print). */
export interface ProgressTick extends TimeSeriesPoint {
  /** P99 of everything so far, ms. */
  p99SoFarMs: number;
  errorsSoFar: number;
  requestsSoFar: number;
  elapsedMs: number;
  plannedMs: number;
  /** `--instances N`: how many of the N engine processes the aggregated tick has heard from. */
  instances?: { reporting: number; of: number };
}

/** Events runScenario emits: start, tick (about once a second), note, done. */
export interface ScenarioEventMap {
  start: [{ scenario: string; engine: EngineId; profile: string; target: string; runDir: string; plannedMs: number }];
  tick: [ProgressTick];
  note: [string];
  done: [RunSummary];
}

export type ScenarioEvents = EventEmitter<ScenarioEventMap>;
