/**
 * Runs EXPLAIN for one named query: statement checked by the parser first, parameters resolved
 * as bind values, then EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) inside a transaction that is
 * always rolled back, under SET LOCAL statement_timeout. Reads run READ ONLY. A problem becomes a
 * Finding that says what happened, never an exception.
 */
import type pg from 'pg';
import type { Finding } from '../../core/index.ts';
import type { NamedQuery } from '../../sql-audit/index.ts';
import { describePgError } from '../db.ts';
import { safeExplain } from './safe-explain.ts';
import { type DatasetInfo, type ParamCache, ParamError, type ResolvedParams, resolveParams } from './params.ts';
import type { ExplainOutput, PlanSnapshot } from './plan.ts';
import { checkStatement } from './statement.ts';

export interface ExplainOptions {
  /** statement_timeout for each EXPLAIN ANALYZE and each parameter pick, ms. */
  timeoutMs: number;
  /** EXPLAIN ANALYZE writes (rolled back). Off for a user's database: row locks would be held meanwhile. */
  analyzeWrites: boolean;
  paramCache?: ParamCache;
}

export interface ExplainedQuery {
  queryId: string;
  snapshot?: PlanSnapshot;
  params?: ResolvedParams;
  /** Why the query was not (fully) explained; findings of checkId "audit-input" or "statement-timeout". */
  problems: Finding[];
  notes: string[];
}

function notAudited(query: NamedQuery, title: string, problem: string, fix: string): Finding {
  return {
    checkId: 'audit-input',
    severity: 'MEDIUM',
    title: `Not audited: ${title}`,
    location: query.id,
    problem,
    impact: 'This query has no plan, so no plan check ran on it.',
    fix,
    explanation: 'The audit refuses input it cannot run safely and says why rather than guessing.',
  };
}

async function runExplain(client: pg.Client, sql: string, values: unknown[], analyze: boolean, readOnly: boolean, timeoutMs: number): Promise<ExplainOutput> {
  return safeExplain(client, sql, values, { analyze, buffers: analyze, readOnly, timeoutMs });
}

export async function explainQuery(client: pg.Client, query: NamedQuery, info: DatasetInfo | undefined, opts: ExplainOptions): Promise<ExplainedQuery> {
  const out: ExplainedQuery = { queryId: query.id, problems: [], notes: [] };
  const stmt = await checkStatement(query.sql);
  if (!stmt.ok) {
    out.problems.push(notAudited(query, stmt.reason.split(':')[0]!, stmt.reason, 'Fix the SQL so it is one SELECT, INSERT, UPDATE or DELETE with values as $1, $2... parameters.'));
    return out;
  }
  if (stmt.paramCount !== query.params.length) {
    const missing = stmt.paramCount > query.params.length;
    out.problems.push(notAudited(
      query,
      missing ? `needs parameters not given` : 'more parameter values than $n placeholders',
      `The SQL uses $1..$${stmt.paramCount} but ${query.params.length} value(s) are given.`,
      missing ? `Give a value for each placeholder in the file header, e.g. "-- $${query.params.length + 1}: 42".` : 'Remove the extra header values.',
    ));
    return out;
  }
  try {
    out.params = await resolveParams(client, query.params, info, opts.timeoutMs, opts.paramCache);
  } catch (e) {
    if (!(e instanceof ParamError)) throw e;
    out.problems.push(notAudited(query, 'no representative parameter values', e.message, 'Seed the database (brink seed), or give the values in the query file header.'));
    return out;
  }
  const writes = stmt.writes || query.writes === true;
  let analyze = !writes || opts.analyzeWrites;
  if (!analyze) out.notes.push('a write on a database that is not the reference stack: explained without ANALYZE (estimates only, nothing executed)');
  try {
    const plan = await runExplain(client, query.sql, out.params.values, analyze, !writes, opts.timeoutMs);
    out.snapshot = { queryId: query.id, plan, analyzed: analyze, ...(query.claimIds ? { claimIds: query.claimIds } : {}) };
    return out;
  } catch (e) {
    const pgErr = describePgError(e, opts.timeoutMs);
    if (pgErr.timedOut) {
      out.problems.push({
        checkId: 'statement-timeout',
        // A request-path query past the audit's timeout (10 s by default) is as bad as it gets.
        severity: 'CRITICAL',
        title: `Did not finish within ${opts.timeoutMs} ms`,
        location: query.id,
        problem: `EXPLAIN ANALYZE was ${pgErr.message}.`,
        impact: 'A request running this query waits at least this long and holds a pool connection meanwhile.',
        fix: 'See the plan-based findings below (estimates); index the query or bound its work; set statement timeouts in the service (NV-4).',
        explanation: `statement_timeout ${opts.timeoutMs} ms; parameters: ${out.params.sources.join('; ')}.`,
        ...(query.claimIds ? { claimIds: [...query.claimIds] } : {}),
      });
    } else if (!(writes && analyze && (pgErr.code === '25006' || pgErr.code === '42501'))) {
      out.problems.push(notAudited(query, `EXPLAIN failed (${pgErr.code})`, pgErr.message, 'Run the audit as a user that may read these tables, on the database the queries belong to.'));
      return out;
    } else {
      out.notes.push(pgErr.message);
    }
    // A timed-out or refused EXPLAIN ANALYZE still has a plan: retry with estimates only.
    analyze = false;
    try {
      const plan = await runExplain(client, query.sql, out.params.values, false, true, opts.timeoutMs);
      out.snapshot = { queryId: query.id, plan, analyzed: false, ...(query.claimIds ? { claimIds: query.claimIds } : {}) };
    } catch (e2) {
      out.problems.push(notAudited(query, 'EXPLAIN failed', describePgError(e2, opts.timeoutMs).message, 'Check the query against this database.'));
    }
    return out;
  }
}
