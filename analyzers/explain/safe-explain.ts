/**
 * The one way brink runs EXPLAIN (the audit, the index proofs and the claim probes all use it):
 * the statement's plan as JSON, parsed; and, for callers not already inside a transaction of
 * their own, inside BEGIN ... ROLLBACK under a local statement_timeout, so that EXPLAIN ANALYZE of
 * a write changes nothing and a slow plan cannot hold a connection for longer than the caller allows.
 */
import type pg from 'pg';
import { inRolledBackTx } from '../db.ts';
import type { ExplainOutput } from './plan.ts';

export interface ExplainRequest {
  /** EXPLAIN ANALYZE: the statement runs (rolled back) and the plan carries actual times and rows. */
  analyze?: boolean;
  /** With analyze: buffer counts too. */
  buffers?: boolean;
}

export interface SafeExplainOptions extends ExplainRequest {
  /** statement_timeout for the EXPLAIN, ms. */
  timeoutMs: number;
  /** BEGIN READ ONLY (default true): a plain EXPLAIN of a write is allowed, an ANALYZE of one is refused. */
  readOnly?: boolean;
}

export function explainOptions(r: ExplainRequest): string {
  return [r.analyze ? 'ANALYZE' : '', r.analyze && r.buffers ? 'BUFFERS' : '', 'FORMAT JSON'].filter(Boolean).join(', ');
}

/** EXPLAIN in the caller's transaction (e.g. the index proof's, where HypoPG's indexes live). */
export async function explainInTransaction(client: pg.ClientBase, sql: string, values: unknown[], r: ExplainRequest = {}): Promise<ExplainOutput> {
  const res = await client.query({ text: `EXPLAIN (${explainOptions(r)}) ${sql}`, values });
  const cell = (res.rows[0] as Record<string, unknown>)['QUERY PLAN'];
  return ((typeof cell === 'string' ? JSON.parse(cell) : cell) as ExplainOutput[])[0]!;
}

/** EXPLAIN in a transaction of its own that is always rolled back, under statement_timeout. */
export async function safeExplain(client: pg.ClientBase, sql: string, values: unknown[], opts: SafeExplainOptions): Promise<ExplainOutput> {
  return inRolledBackTx(client, { readOnly: opts.readOnly ?? true, timeoutMs: opts.timeoutMs }, () => explainInTransaction(client, sql, values, opts));
}
