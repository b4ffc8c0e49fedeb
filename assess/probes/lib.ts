/** Shared pieces of claim probes: verdicts from checked parts, SQL timing, plan shape, query counts. */
import type { ClaimResult, ClaimVerdict, TrendValues } from '../../core/index.ts';
import type { AssessContext } from '../context.ts';
import { repeat } from '../measure.ts';

export interface Part {
  /** What the claim says, e.g. "optimized < 10 ms". */
  label: string;
  ok: boolean;
  /** The measured value, e.g. "0.09 ms". */
  measured: string;
}

/** All parts hold: CONFIRMED; none: REFUTED; some: PARTLY. The reason names each part that failed. */
export function verdictOf(parts: Part[]): { verdict: ClaimVerdict; reason: string } {
  const failed = parts.filter((p) => !p.ok);
  const verdict: ClaimVerdict = failed.length === 0 ? 'CONFIRMED' : failed.length === parts.length ? 'REFUTED' : 'PARTLY';
  const reason = parts.map((p) => `${p.ok ? 'holds' : 'does not hold'}: ${p.label} (measured ${p.measured})`).join('; ');
  return { verdict, reason };
}

export function result(id: string, method: string, measured: string, parts: Part[], values: Record<string, number>): Omit<ClaimResult, 'claim'> {
  return { id, method, measured, ...verdictOf(parts), values };
}

export function notMeasurable(id: string, reason: string, modelEstimate?: string, method = 'not run: needs more than one machine'): Omit<ClaimResult, 'claim'> {
  return { id, method, measured: '-', verdict: 'NOT MEASURABLE HERE', reason, ...(modelEstimate ? { modelEstimate } : {}) };
}

/** Client-side time of a query on a direct connection: warm-up first, then n runs. */
export async function timeSql(ctx: AssessContext, sql: string, params: unknown[], n: number): Promise<TrendValues> {
  const client = await ctx.db.connect();
  try {
    return await repeat(n, () => client.query(sql, params), { warmup: 2 });
  } finally {
    client.release();
  }
}

interface PlanNode {
  'Node Type': string;
  Plans?: PlanNode[];
  'Index Name'?: string;
}

export async function planNodes(ctx: AssessContext, sql: string, params: unknown[]): Promise<PlanNode[]> {
  const r = await ctx.db.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(`EXPLAIN (FORMAT JSON) ${sql}`, params);
  const out: PlanNode[] = [];
  const walk = (n: PlanNode) => {
    out.push(n);
    for (const c of n.Plans ?? []) walk(c);
  };
  walk(r.rows[0]!['QUERY PLAN'][0].Plan);
  return out;
}

export const hasNode = (nodes: PlanNode[], type: string) => nodes.some((n) => n['Node Type'] === type);

/** Calls of one statement recorded by pg_stat_statements (the services run the catalog's SQL text). */
export async function callsOf(ctx: AssessContext, sql: string): Promise<number> {
  const r = await ctx.db.query<{ n: string }>('SELECT coalesce(sum(calls), 0)::bigint AS n FROM pg_stat_statements WHERE query = $1', [sql]);
  return Number(r.rows[0]?.n ?? 0);
}

export const heavyUser = (ctx: AssessContext, which: 'small' | 'large') => {
  const sorted = [...ctx.dataset.heavyUsers].sort((a, b) => a.posts - b.posts);
  return which === 'small' ? sorted[0]! : sorted[sorted.length - 1]!;
};

export const n = (ctx: AssessContext, smoke: number, full: number) => (ctx.profile === 'smoke' ? smoke : full);
