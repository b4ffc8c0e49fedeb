/**
 * Proves a suggested index by comparing plans before and after it exists: with HypoPG's
 * hypothetical index (no build, no lock, backend-local; needs the DIRECT connection, since through
 * PgBouncer's transaction mode the next statement may run on another backend), or, when HypoPG is
 * absent and real indexes are allowed, a real CREATE INDEX inside a transaction that is rolled
 * back (then with EXPLAIN ANALYZE times too). Nothing persists either way.
 */
import type pg from 'pg';
import { describePgError, inRolledBackTx } from '../db.ts';
import type { ExplainOutput, PlanNode } from '../explain/plan.ts';
import { planShape, walkPlan } from '../explain/plan.ts';
import { explainInTransaction } from '../explain/safe-explain.ts';
import type { WantedIndex } from './types.ts';

export interface PlanSide {
  cost: number;
  shape: string;
  executionMs?: number;
}

export interface Proof {
  method: 'hypopg' | 'real-index' | 'none';
  before?: PlanSide;
  after?: PlanSide & { usesIndex: boolean };
  /** after.usesIndex and the cost fell by at least minCostDrop. */
  proven: boolean;
  /** before.cost / after.cost. */
  costRatio?: number;
  reason: string;
}

export interface ProveOptions {
  timeoutMs: number;
  /** HypoPG state for this database, from hypopgAvailability(). */
  hypopg: HypopgState;
  /** Allow a real CREATE INDEX in a rolled-back transaction (takes a SHARE lock on the table meanwhile). */
  realIndexes: boolean;
  /** Whether the statement writes (EXPLAIN ANALYZE of a write only when analyzeWrites). */
  writes: boolean;
  analyzeWrites: boolean;
  /** Skip real-index builds on tables with more rows than this (pg_class.reltuples): the build would outlast the audit. */
  realIndexMaxRows?: number;
  /** Cost must fall at least this share to count as proven. */
  minCostDrop?: number;
}

export type HypopgState = { installed: true } | { installed: false; creatable: boolean; reason: string };

/** Whether hypopg is installed, or at least can be created (then it is, inside each rolled-back proof). */
export async function hypopgAvailability(client: pg.Client, timeoutMs: number): Promise<HypopgState> {
  const has = await inRolledBackTx(client, { readOnly: true, timeoutMs }, () => client.query("SELECT 1 FROM pg_extension WHERE extname = 'hypopg'"));
  if (has.rowCount) return { installed: true };
  try {
    await inRolledBackTx(client, { readOnly: false, timeoutMs }, () => client.query('CREATE EXTENSION hypopg'));
    return { installed: false, creatable: true, reason: 'HypoPG is not installed; created inside each rolled-back proof transaction' };
  } catch (e) {
    return { installed: false, creatable: false, reason: `HypoPG is not available: ${describePgError(e).message}` };
  }
}

const explain = (client: pg.Client, sql: string, values: unknown[], analyze: boolean): Promise<ExplainOutput> => explainInTransaction(client, sql, values, { analyze });

function side(plan: ExplainOutput): PlanSide {
  return { cost: plan.Plan['Total Cost'] ?? 0, shape: planShape(plan.Plan), ...(plan['Execution Time'] === undefined ? {} : { executionMs: plan['Execution Time'] }) };
}

function uses(plan: PlanNode, indexName: string): boolean {
  return walkPlan(plan).some(({ node }) => node['Index Name'] === indexName);
}

function judge(method: Proof['method'], before: ExplainOutput, after: ExplainOutput, indexName: string, minDrop: number): Proof {
  const b = side(before);
  const a = { ...side(after), usesIndex: uses(after.Plan, indexName) };
  const costRatio = a.cost > 0 ? b.cost / a.cost : Number.POSITIVE_INFINITY;
  const proven = a.usesIndex && a.cost <= b.cost * (1 - minDrop);
  const reason = proven
    ? `with the index the planner's cost falls from ${b.cost} to ${a.cost} (${costRatio.toFixed(1)}x) and the plan becomes ${a.shape}`
    : a.usesIndex
      ? `the planner uses the index but the cost only moves from ${b.cost} to ${a.cost}`
      : `the planner does not use the index on this data (cost ${b.cost}, plan ${b.shape}): not worth creating for these parameters`;
  return { method, before: b, after: a, proven, costRatio, reason };
}

export async function proveIndex(client: pg.Client, wanted: WantedIndex, sql: string, values: unknown[], opts: ProveOptions): Promise<Proof> {
  return (await proveIndexes(client, [wanted], sql, values, opts))[0]!;
}

/**
 * Proves several indexes together: an OR over two columns (BitmapOr) or a join (one index per
 * side) may only change the plan when all of them exist. One Proof per index, sharing the
 * before/after plans; each is proven only if the new plan uses it.
 */
export async function proveIndexes(client: pg.Client, wanted: readonly WantedIndex[], sql: string, values: unknown[], opts: ProveOptions): Promise<Proof[]> {
  const all = (p: Omit<Proof, 'after'> & { after?: Proof['after'] }) => wanted.map(() => ({ ...p }) as Proof);
  const minDrop = opts.minCostDrop ?? 0.1;
  const hypo = opts.hypopg;
  const hypoUsable = hypo.installed || hypo.creatable;
  const hasGin = wanted.some((w) => w.method === 'gin');
  // HypoPG 1.x models b-tree (and brin, hash, bloom) indexes, not GIN.
  if (hypoUsable && !hasGin) {
    try {
      return await inRolledBackTx(client, { readOnly: hypo.installed, timeoutMs: opts.timeoutMs }, async () => {
        if (!hypo.installed) await client.query('CREATE EXTENSION hypopg');
        try {
          const before = await explain(client, sql, values, false);
          const names: string[] = [];
          for (const w of wanted) names.push((await client.query<{ indexname: string }>('SELECT indexname FROM hypopg_create_index($1)', [w.ddl])).rows[0]!.indexname);
          const after = await explain(client, sql, values, false);
          return names.map((n) => judge('hypopg', before, after, n, minDrop));
        } finally {
          // Hypothetical indexes live in the backend, not the transaction: drop them explicitly.
          await client.query('SELECT hypopg_reset()').catch(() => {});
        }
      });
    } catch (e) {
      if (!opts.realIndexes) return all({ method: 'none', proven: false, reason: `HypoPG could not model it: ${describePgError(e, opts.timeoutMs).message}` });
    }
  }
  if (!opts.realIndexes) {
    const why = hasGin ? 'HypoPG cannot model GIN indexes' : !hypoUsable ? (hypo as { reason: string }).reason : 'HypoPG failed';
    return all({ method: 'none', proven: false, reason: `${why}, and real indexes in a rolled-back transaction are not allowed for this database (--real-indexes)` });
  }
  const maxRows = opts.realIndexMaxRows ?? 500_000;
  for (const w of wanted) {
    const size = await inRolledBackTx(client, { readOnly: true, timeoutMs: opts.timeoutMs }, () =>
      client.query<{ rows: number }>('SELECT reltuples::float8 AS rows FROM pg_class WHERE oid = to_regclass($1)', [w.table])).catch(() => undefined);
    const rows = size?.rows[0]?.rows ?? 0;
    if (rows > maxRows) {
      return all({ method: 'none', proven: false, reason: `${hasGin ? 'HypoPG cannot model GIN indexes' : 'HypoPG could not model it'}, and building it for real on ${w.table} (~${Math.round(rows).toLocaleString('en-US')} rows) is above the audit's limit of ${maxRows.toLocaleString('en-US')} rows; prove it on a copy with a longer --timeout-ms` });
    }
  }
  const analyze = !opts.writes || opts.analyzeWrites;
  try {
    return await inRolledBackTx(client, { readOnly: false, timeoutMs: opts.timeoutMs }, async () => {
      const before = await explain(client, sql, values, analyze);
      const names = wanted.map((_, i) => `brink_audit_proof_idx_${i}`);
      for (const [i, w] of wanted.entries()) await client.query(w.ddl.replace(/^CREATE INDEX ON /, `CREATE INDEX ${names[i]} ON `));
      const after = await explain(client, sql, values, analyze);
      return names.map((n) => judge('real-index', before, after, n, minDrop));
    });
  } catch (e) {
    return all({ method: 'real-index', proven: false, reason: `a real index could not be built and rolled back: ${describePgError(e, opts.timeoutMs).message}` });
  }
}
