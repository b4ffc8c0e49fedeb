/**
 * Reads run and assessment directories (layout: core/bundle.ts). Every file is optional; a file
 * that is present but unreadable or of the wrong shape becomes a "problem" line shown in the
 * report, never an exception, so a half-finished assessment still gets its report.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { z } from 'zod';
import {
  ASSESSMENT_FILES, RUN_FILES, SEVERITIES, CLAIM_VERDICTS, decode, spectrum, invalidInput,
  type AssessmentMeta, type ClaimResult, type ExperimentResult, type Finding, type RunSummary,
} from '../core/index.ts';
import type { PoolBudgetView, QueryExplain, ReportModel, RunEntry, SourceInfo } from './types.ts';

/** What the inputs gave: the report model's data fields, before anything is derived. */
export type LoadedInputs = Pick<ReportModel, 'sources' | 'assessments' | 'runs' | 'findings' | 'explains' | 'pools' | 'claims' | 'chaos' | 'problems'>;

export function emptyInputs(): LoadedInputs {
  return { sources: [], assessments: [], runs: [], findings: [], explains: [], pools: null, claims: [], chaos: [], problems: [] };
}

type Json = { ok: true; value: unknown } | { ok: false; error: string } | null;

function readJson(path: string): Json {
  if (!existsSync(path)) return null;
  try {
    return { ok: true, value: JSON.parse(readFileSync(path, 'utf8')) };
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
}

const runSummarySchema = z.looseObject({
  schemaVersion: z.literal(1),
  card: z.looseObject({ runId: z.string(), scenario: z.string() }),
  totals: z.looseObject({ requests: z.number(), latencyMs: z.looseObject({ p99: z.number() }) }),
  endpoints: z.array(z.looseObject({ name: z.string() })),
  phases: z.array(z.unknown()),
  timeSeries: z.array(z.unknown()),
  thresholds: z.array(z.unknown()),
  timeline: z.array(z.unknown()),
});
const findingSchema = z.looseObject({ checkId: z.string(), severity: z.enum(SEVERITIES), title: z.string(), location: z.string() });
const claimSchema = z.looseObject({ id: z.string(), claim: z.string(), verdict: z.enum(CLAIM_VERDICTS) });
const experimentSchema = z.looseObject({ experiment: z.string(), ok: z.boolean(), verdicts: z.array(z.looseObject({ hypothesis: z.string(), ok: z.boolean() })) });
const explainSchema = z.looseObject({ query: z.string(), sql: z.string(), before: z.looseObject({ label: z.string(), plan: z.unknown() }) });
const metaSchema = z.looseObject({ title: z.string(), profile: z.string(), complete: z.boolean() });

/**
 * The analyzers' PoolBudget (analyzers/pools/budget.ts: rows of service, replicas, poolsPerReplica,
 * poolMax, poolTimeoutMs, total; total; limit?; limitSource?), read leniently (a few other field
 * spellings too) into the view the section needs, so reports do not import the analyzers.
 */
const poolRowSchema = z.looseObject({
  service: z.string().optional(), name: z.string().optional(),
  replicas: z.number().optional(), poolsPerReplica: z.number().optional(), poolMax: z.number().optional(), poolSize: z.number().optional(),
  poolTimeoutMs: z.number().optional(), timeoutMs: z.number().optional(), total: z.number().optional(),
});
const poolsSchema = z.looseObject({
  rows: z.array(poolRowSchema).optional(), services: z.array(poolRowSchema).optional(),
  total: z.number().optional(), limit: z.number().optional(), maxDbConnections: z.number().optional(),
  limitSource: z.string().optional(), limitName: z.string().optional(),
  flags: z.array(z.string()).optional(), notes: z.array(z.string()).optional(),
});

export function toPoolView(raw: unknown): PoolBudgetView | string {
  const parsed = poolsSchema.safeParse(raw);
  if (!parsed.success) return z.prettifyError(parsed.error);
  const p = parsed.data;
  const rawRows = p.rows ?? p.services;
  if (!rawRows) return 'no "rows" (or "services") array';
  const rows = rawRows.map((r) => {
    const replicas = r.replicas ?? 1;
    const poolsPerReplica = r.poolsPerReplica ?? 1;
    const poolMax = r.poolMax ?? r.poolSize ?? 0;
    return {
      service: r.service ?? r.name ?? '?', replicas, poolsPerReplica, poolMax,
      timeoutMs: r.poolTimeoutMs ?? r.timeoutMs, total: r.total ?? replicas * poolsPerReplica * poolMax,
    };
  });
  const limit = p.limit ?? p.maxDbConnections ?? null;
  return {
    rows,
    total: p.total ?? rows.reduce((s, r) => s + r.total, 0),
    limit,
    limitName: p.limitName ?? p.limitSource ?? (p.maxDbConnections !== undefined ? 'max_db_connections' : limit === null ? 'no known limit' : 'limit'),
    flags: p.flags ?? p.notes ?? [],
  };
}

function readArray<T>(path: string, name: string, schema: z.ZodType, problems: string[]): T[] {
  const j = readJson(path);
  if (j === null) return [];
  if (!j.ok) { problems.push(`${name}: not valid JSON (${j.error})`); return []; }
  if (!Array.isArray(j.value)) { problems.push(`${name}: expected an array`); return []; }
  const out: T[] = [];
  j.value.forEach((item, i) => {
    const r = schema.safeParse(item);
    if (r.success) out.push(item as T);
    else problems.push(`${name}[${i}]: ${z.prettifyError(r.error).replace(/\n/g, '; ')}`);
  });
  return out;
}

/** Reads one run directory; null (and a problem line) when its summary is missing or malformed. */
export function readRunDir(dir: string, label: string, problems: string[], read: string[] = []): RunEntry | null {
  const sumPath = join(dir, RUN_FILES.summary);
  const j = readJson(sumPath);
  if (j === null) { problems.push(`${label}: no ${RUN_FILES.summary}`); return null; }
  if (!j.ok) { problems.push(`${label}/${RUN_FILES.summary}: not valid JSON (${j.error})`); return null; }
  const r = runSummarySchema.safeParse(j.value);
  if (!r.success) { problems.push(`${label}/${RUN_FILES.summary}: not a RunSummary (${z.prettifyError(r.error).replace(/\n/g, '; ')})`); return null; }
  read.push(RUN_FILES.summary);
  const spectra: RunEntry['spectra'] = {};
  const h = readJson(join(dir, RUN_FILES.histograms));
  if (h && !h.ok) problems.push(`${label}/${RUN_FILES.histograms}: not valid JSON (${h.error})`);
  if (h?.ok && h.value && typeof h.value === 'object') {
    read.push(RUN_FILES.histograms);
    for (const [metric, b64] of Object.entries(h.value as Record<string, unknown>)) {
      try {
        if (typeof b64 !== 'string') throw new Error('not a base64 string');
        spectra[metric] = spectrum(decode(b64));
      } catch (e) {
        problems.push(`${label}/${RUN_FILES.histograms}: metric "${metric}" could not be decoded (${(e as Error).message})`);
      }
    }
  }
  return { label, dir, summary: j.value as RunSummary, spectra };
}

function isAssessmentDir(dir: string): boolean {
  return [ASSESSMENT_FILES.meta, ASSESSMENT_FILES.claims, ASSESSMENT_FILES.runs, 'audit', ASSESSMENT_FILES.chaos]
    .some((f) => existsSync(join(dir, f)));
}

function readAssessmentDir(dir: string, into: LoadedInputs): SourceInfo {
  const read: string[] = [];
  const p = into.problems;
  const name = basename(dir);
  const meta = readJson(join(dir, ASSESSMENT_FILES.meta));
  if (meta && !meta.ok) p.push(`${name}/${ASSESSMENT_FILES.meta}: not valid JSON (${meta.error})`);
  if (meta?.ok) {
    const r = metaSchema.safeParse(meta.value);
    if (r.success) { into.assessments.push(meta.value as AssessmentMeta); read.push(ASSESSMENT_FILES.meta); }
    else p.push(`${name}/${ASSESSMENT_FILES.meta}: not an AssessmentMeta (${z.prettifyError(r.error).replace(/\n/g, '; ')})`);
  }
  const runsDir = join(dir, ASSESSMENT_FILES.runs);
  if (existsSync(runsDir)) {
    for (const sub of readdirSync(runsDir).sort()) {
      if (!statSync(join(runsDir, sub)).isDirectory()) continue;
      const entry = readRunDir(join(runsDir, sub), `${ASSESSMENT_FILES.runs}/${sub}`, p);
      if (entry) { into.runs.push(entry); read.push(`${ASSESSMENT_FILES.runs}/${sub}`); }
    }
  }
  // A file counts as read when it exists and parsed cleanly, even if empty: an audit that found
  // nothing is a clean audit, not missing data.
  const readList = <T>(file: string, schema: z.ZodType, target: T[]) => {
    const problemsBefore = p.length;
    target.push(...readArray<T>(join(dir, file), file, schema, p));
    if (existsSync(join(dir, file)) && p.length === problemsBefore) read.push(file);
  };
  readList<Finding>(ASSESSMENT_FILES.findings, findingSchema, into.findings);
  readList<QueryExplain>(ASSESSMENT_FILES.explains, explainSchema, into.explains);
  readList<ClaimResult>(ASSESSMENT_FILES.claims, claimSchema, into.claims);
  const pools = readJson(join(dir, ASSESSMENT_FILES.pools));
  if (pools && !pools.ok) p.push(`${ASSESSMENT_FILES.pools}: not valid JSON (${pools.error})`);
  if (pools?.ok) {
    const view = toPoolView(pools.value);
    if (typeof view === 'string') p.push(`${ASSESSMENT_FILES.pools}: not a pool budget (${view.replace(/\n/g, '; ')})`);
    else { into.pools = view; read.push(ASSESSMENT_FILES.pools); }
  }
  const chaosDir = join(dir, ASSESSMENT_FILES.chaos);
  if (existsSync(chaosDir)) {
    for (const f of readdirSync(chaosDir).filter((x) => x.endsWith('.json')).sort()) {
      const rel = `${ASSESSMENT_FILES.chaos}/${f}`;
      const j = readJson(join(chaosDir, f));
      if (!j) continue;
      if (!j.ok) { p.push(`${rel}: not valid JSON (${j.error})`); continue; }
      const r = experimentSchema.safeParse(j.value);
      if (r.success) { into.chaos.push(j.value as ExperimentResult); read.push(rel); }
      else p.push(`${rel}: not an ExperimentResult (${z.prettifyError(r.error).replace(/\n/g, '; ')})`);
    }
  }
  return { dir, kind: 'assessment', read };
}

/** The index `brink run --repeat N` writes next to repeat-1 … repeat-N (scenarios/repeat.ts). */
const REPEATS_FILE = 'repeats.json';

/**
 * A repeated run: every repetition it lists becomes a run of its own ("<dir> #i"), marked as one of
 * the group, so the report shows all of them and their spread (sections/repetitions.ts).
 */
function readRepeatedDir(dir: string, into: LoadedInputs): SourceInfo {
  const name = basename(dir);
  const read: string[] = [];
  const j = readJson(join(dir, REPEATS_FILE));
  const runs = j?.ok ? (j.value as { runs?: unknown }).runs : undefined;
  if (!j?.ok || !Array.isArray(runs)) {
    into.problems.push(`${name}/${REPEATS_FILE}: ${j && !j.ok ? `not valid JSON (${j.error})` : 'no "runs" list'}`);
    return { dir, kind: 'run', read };
  }
  read.push(REPEATS_FILE);
  const subs = runs.map((r) => (r as { dir?: unknown })?.dir).filter((d): d is string => typeof d === 'string');
  subs.forEach((sub, i) => {
    const entry = readRunDir(join(dir, sub), `${name} #${i + 1}`, into.problems);
    if (!entry) return;
    into.runs.push({ ...entry, repeat: { group: name, dir, index: i + 1, of: subs.length } });
    read.push(`${sub}/${RUN_FILES.summary}`);
  });
  if (subs.length === 0) into.problems.push(`${name}/${REPEATS_FILE}: lists no finished repetition`);
  return { dir, kind: 'run', read };
}

/** Reads every input directory. Throws INVALID_INPUT only for a path that is not a directory. */
export function loadInputs(dirs: readonly string[]): LoadedInputs {
  const into = emptyInputs();
  for (const dir of dirs) {
    if (!existsSync(dir) || !statSync(dir).isDirectory()) {
      throw invalidInput(`report input "${dir}" is not a directory`, 'pass run directories (with summary.json) or assessment directories (with assessment.json)');
    }
    if (existsSync(join(dir, RUN_FILES.summary))) {
      const read: string[] = [];
      const entry = readRunDir(dir, basename(dir), into.problems, read);
      if (entry) into.runs.push(entry);
      into.sources.push({ dir, kind: 'run', read });
    } else if (existsSync(join(dir, REPEATS_FILE))) {
      into.sources.push(readRepeatedDir(dir, into));
    } else if (isAssessmentDir(dir)) {
      into.sources.push(readAssessmentDir(dir, into));
    } else {
      throw invalidInput(`report input "${dir}" holds neither ${RUN_FILES.summary} nor an assessment (${ASSESSMENT_FILES.meta}, ${ASSESSMENT_FILES.runs}/, audit/, chaos/ or ${ASSESSMENT_FILES.claims})`);
    }
  }
  return into;
}
