/**
 * The report's own types: the model every section reads (also written as summary.json), the
 * two audit shapes reports define for themselves (EXPLAIN before/after, pool budget view), and the
 * neutral document blocks sections return. Sections never build HTML or Markdown strings: they
 * return blocks, and the two renderers escape every piece of text in one place.
 */
import type {
  AssessmentMeta, ClaimResult, ExperimentResult, Finding, RunSummary, Severity,
} from '../core/index.ts';

/**
 * One side of an EXPLAIN comparison. `plan` is the text of EXPLAIN (or of EXPLAIN (FORMAT JSON),
 * which the renderer pretty-prints). Written by the SQL audit to audit/explains.json.
 */
export interface ExplainPlan {
  /** What this plan is of, e.g. "baseline" or "with idx_posts_user_created (HypoPG)". */
  label: string;
  plan: string | unknown;
  totalCost?: number;
  executionMs?: number;
  /** true when the index only existed as a HypoPG hypothetical index (cost only, no timing). */
  hypothetical?: boolean;
}

/** audit/explains.json is QueryExplain[]: one entry per audited query with a proposed fix. */
export interface QueryExplain {
  /** The catalog query name; a finding shows it when its `location` (or evidence.query) matches. */
  query: string;
  sql: string;
  before: ExplainPlan;
  after?: ExplainPlan;
}

/** A row of the Nova pool budget table. */
export interface PoolBudgetRow {
  service: string;
  replicas: number;
  poolMax: number;
  /** Pools per replica (a pool per module, MO-1, makes this > 1). */
  poolsPerReplica: number;
  timeoutMs?: number;
  /** replicas x pools x poolMax: the connections this service can hold. */
  total: number;
}

/**
 * What the pools section reads from audit/pools.json (the analyzers' PoolBudget): the rows, their
 * total, and the limit it must stay under. Extra fields are ignored.
 */
export interface PoolBudgetView {
  rows: PoolBudgetRow[];
  total: number;
  /** The limit the total is checked against, e.g. 100; null when the audit could not tell. */
  limit: number | null;
  /** Its name, e.g. "pgbouncer max_db_connections". */
  limitName: string;
  /** Free-text observations (inconsistent sizes, pool per module…). */
  flags: string[];
}

export interface RunEntry {
  /** Where it came from: the run directory name, or runs/<name> inside an assessment. */
  label: string;
  dir: string;
  summary: RunSummary;
  /** Percentile spectrum (percentile -> ms) per metric, from histograms.json (HDR). */
  spectra: Record<string, { percentile: number; ms: number }[]>;
  /** One repetition of a repeated run (`brink run --repeat N`): the group is the repeated run's directory name. */
  repeat?: { group: string; dir: string; index: number; of: number };
}

export interface SourceInfo {
  dir: string;
  kind: 'run' | 'assessment';
  /** Files found and read, relative to dir. */
  read: string[];
}

export type Tone = 'good' | 'bad' | 'warn' | 'muted';

export interface AreaRating {
  area: string;
  /** 0..10 like the assessment documents, or null when the inputs hold nothing for this area. */
  score: number | null;
  summary: string;
}

export interface Verdict {
  /** "DO NOT DEPLOY: 2 CRITICAL", "DEPLOY WITH CAUTION: …", "READY: …" or "NO DATA". */
  text: string;
  tone: Tone;
  reasons: string[];
}

export type SliStatus = 'PASS' | 'FAIL' | 'NOT MEASURED';

export interface SliRow {
  run: string;
  sli: string;
  target: string;
  measured: string;
  status: SliStatus;
  /** Where the target came from: the run's own thresholds or the built-in Nova SLI set. */
  source: 'threshold' | 'nova-sli';
}

export interface ScenarioRow {
  run: string;
  scenario: string;
  variant: string;
  parameters: string;
  peakRatePerSec: number;
  p99Ms: number;
  errorRate: number;
  bottleneck: string;
  failureMode: string;
  /** Highest achieved rate of a phase that met the P99 target with < 1% errors; null if none did. */
  safeThroughputPerSec: number | null;
  p99TargetMs: number;
}

export interface CapacityRow {
  scenario: string;
  metric: string;
  current: string;
  optimized: string;
  change: string;
}

export type Priority = 'P0' | 'P1' | 'P2';

export interface ActionItem {
  priority: Priority;
  title: string;
  detail: string;
  source: string;
}

export interface EndpointDelta {
  endpoint: string;
  percentile: 'p50' | 'p95' | 'p99';
  baseMs: number;
  headMs: number;
  deltaPct: number;
  regression: boolean;
}

export interface Comparison {
  base: string;
  head: string;
  tolerancePct: number;
  minDeltaMs: number;
  deltas: EndpointDelta[];
  errorRate: { base: number; head: number; regression: boolean };
  throughput: { basePerSec: number; headPerSec: number; deltaPct: number };
  regression: boolean;
  verdict: string;
  /** Which verdict gates: the rank test over repeated runs (default) or the fixed tolerance of one run each. */
  gate?: 'rank' | 'fixed';
  /** The noise-aware comparison (reports/compare/rank-compare.ts). */
  stats?: import('./compare/types.ts').RankComparison;
}

export interface ReportModel {
  schemaVersion: 1;
  title: string;
  generatedAt: string;
  sources: SourceInfo[];
  assessments: AssessmentMeta[];
  runs: RunEntry[];
  findings: Finding[];
  explains: QueryExplain[];
  pools: PoolBudgetView | null;
  claims: ClaimResult[];
  chaos: ExperimentResult[];
  /** Files present but unreadable or in an unexpected shape: shown in the report, never fatal. */
  problems: string[];
  derived: {
    verdict: Verdict;
    severityCounts: Record<Severity, number>;
    areas: AreaRating[];
    slis: SliRow[];
    scenarios: ScenarioRow[];
    capacity: CapacityRow[];
    actions: ActionItem[];
  };
  comparison: Comparison | null;
}

// ---- document blocks returned by sections ----

/** A link from a cell to an element of the same report (its id, without '#'; see render/anchors.ts). */
export interface CellLink { text: string; anchor: string }

export type Cell = string | number | { text: string; tone?: Tone; links?: CellLink[] };

/** A Vega-Lite spec (kept loose: vega-lite's own TopLevelSpec type is heavy for plain data). */
export type VegaLiteSpec = Record<string, unknown>;

export type Block =
  | { kind: 'paragraph'; text: string; tone?: Tone }
  | { kind: 'verdict'; text: string; tone: Tone }
  /** `anchor`: an id other parts of the report link to (render/anchors.ts). */
  | { kind: 'heading'; text: string; tone?: Tone; anchor?: string }
  | { kind: 'table'; columns: string[]; rows: Cell[][]; caption?: string }
  | { kind: 'list'; items: string[]; ordered?: boolean }
  | { kind: 'code'; text: string; caption?: string }
  | { kind: 'keyvalue'; entries: [string, string][] }
  | { kind: 'sideBySide'; left: Block[]; right: Block[] }
  | { kind: 'chart'; id: string; title: string; spec: VegaLiteSpec; anchor?: string }
  /** A section (or part of one) with no data: says so plainly instead of disappearing. */
  | { kind: 'empty'; text: string };

export interface SectionDescriptor {
  id: string;
  title: string;
  /** Sections shown only in a mode (compare) say so here; others are always shown. */
  when?: (model: ReportModel) => boolean;
  render: (model: ReportModel) => Block[];
}
