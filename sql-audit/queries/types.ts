/**
 * The shape of a named query: the exact SQL text the platform runs (services import it from
 * sql-audit/catalog.ts, so the audit explains what actually runs), its parameters with a recipe
 * for representative values, and where the platform runs it.
 *
 * Parameter recipes are data, not code, so this file and the query files stay free of I/O;
 * analyzers/explain resolves them against a database (dataset_info first, then read-only SQL).
 */
import type { SwitchId } from '../../core/index.ts';

/** How to choose a representative value for one bind parameter. */
export type ParamPick =
  /** The seeded dataset's heaviest (or lightest) user from dataset_info.heavyUsers. */
  | { kind: 'heavy-user'; which: 'largest' | 'smallest' }
  /** The seeded dataset's heaviest (or lightest) conversation from dataset_info.heavyConversations. */
  | { kind: 'heavy-conversation'; which: 'largest' | 'smallest' }
  /**
   * A read-only SELECT returning one row with one column. `args` names parameters resolved
   * earlier in the same list, bound as $1, $2... in that order.
   */
  | { kind: 'sql'; sql: string; args?: string[] }
  | { kind: 'literal'; value: unknown };

export interface ParamSpec {
  /** Name for messages and reports, e.g. "user_id". Position is the index in `params` ($1 is the first). */
  name: string;
  /** What Postgres sees it as, for documentation and for casting user-supplied header values. */
  pgType: 'bigint' | 'bigint[]' | 'integer' | 'text' | 'timestamptz';
  pick: ParamPick;
  /**
   * Used when `pick` finds nothing (no dataset_info, an empty table). Heavy-user picks fall back to
   * an SQL query on the data itself; this literal is the last resort.
   */
  fallback?: ParamPick;
}

export interface RunsIn {
  /** Reference-platform service that runs it, e.g. "content". */
  service: string;
  /** The request or job that triggers it, e.g. "GET /users/:id/posts". */
  trigger: string;
}

export interface NamedQuery {
  id: string;
  description: string;
  sql: string;
  params: readonly ParamSpec[];
  runsIn: RunsIn;
  /** Several forms of one logical query (search_posts: LIKE vs full text) share a family name. */
  family?: string;
  /** For a family with several forms: the switch that selects this form, and the value that does. */
  usedWhen?: { switch: SwitchId; on: boolean };
  /** INSERT/UPDATE/DELETE: EXPLAIN ANALYZE executes it, so it is only ever run in a rolled-back transaction. */
  writes?: boolean;
  /** Claim ids (shared/assessments/README.md) this query bears on. */
  claimIds?: readonly string[];
}
