/** Shared pieces of claim probes: verdicts from checked parts, SQL timing, plan shape, query counts. */
import type { ClaimResult, TrendValues } from '../../core/index.ts';
import { judged } from '../verdict.ts';
import type { AssessContext } from '../context.ts';
import { repeat } from '../measure.ts';
import { safeExplain } from '../../analyzers/index.ts';

export { verdictOf, judged, notRun, notMeasurable, type Part } from '../verdict.ts';

/** A claim row from checked parts (see assess/verdict.ts for the one semantics). */
export const result = judged;


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

/** Every node of the statement's plan (plain EXPLAIN through analyzers' safe EXPLAIN: rolled back, 30 s at most). */
export async function planNodes(ctx: AssessContext, sql: string, params: unknown[]): Promise<PlanNode[]> {
  const client = await ctx.db.connect();
  let plan: { Plan: PlanNode };
  try {
    plan = (await safeExplain(client, sql, params, { timeoutMs: 30_000 })) as unknown as { Plan: PlanNode };
  } finally {
    client.release();
  }
  const out: PlanNode[] = [];
  const walk = (n: PlanNode) => {
    out.push(n);
    for (const c of n.Plans ?? []) walk(c);
  };
  walk(plan.Plan);
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

/**
 * Calls of every statement whose text contains all `parts` (pg_stat_statements). For a family of
 * query forms (the home feed has six, switch-dependent), where one exact text would count zero.
 */
export async function callsMatching(ctx: AssessContext, parts: readonly string[]): Promise<number> {
  const where = parts.map((_, i) => `query LIKE $${i + 1}`).join(' AND ');
  const r = await ctx.db.query<{ n: string }>(`SELECT coalesce(sum(calls), 0)::bigint AS n FROM pg_stat_statements WHERE ${where} AND query NOT LIKE '%pg_stat_statements%'`, parts.map((p) => `%${p}%`));
  return Number(r.rows[0]?.n ?? 0);
}

/** The home feed's page queries, whichever form the switches pick (follows join or followee merge). */
export const FEED_PAGE_QUERY = ['FROM follows f', 'like_count'] as const;
