/** The indexes a query wants (derived from its parse tree) and the ones a database has (pg_index). */

export interface IndexKey {
  column: string;
  /** For ORDER BY columns: the direction the index must store (or the exact reverse of all of them). */
  direction?: 'ASC' | 'DESC';
  role: 'equality' | 'join' | 'range' | 'order';
}

export type GinKind = { kind: 'trgm'; column: string } | { kind: 'fts'; config: string; column: string };

export interface WantedIndex {
  queryId: string;
  table: string;
  method: 'btree' | 'gin';
  /** btree key columns, in order: equality and join columns, then ORDER BY (or range) columns. */
  keys: IndexKey[];
  gin?: GinKind;
  /** Constant predicates the query always applies (deleted_at IS NULL): a partial index's WHERE. */
  predicate?: string;
  /** Why this index, in words: "equality on user_id; ORDER BY created_at DESC; partial WHERE deleted_at IS NULL". */
  reason: string;
  /** CREATE INDEX statement (no name: HypoPG and Postgres name it). */
  ddl: string;
}

export interface ExistingIndex {
  table: string;
  name: string;
  method: string;
  unique: boolean;
  primary: boolean;
  valid: boolean;
  /** Key columns or expressions as pg_get_indexdef(oid, k, true) prints them, with direction. */
  columns: { expr: string; desc: boolean }[];
  /** pg_get_expr(indpred): the partial index predicate, or null. */
  predicate: string | null;
  definition: string;
  sizeBytes: number;
  /** pg_stat_user_indexes.idx_scan since the last statistics reset. */
  scans: number;
}
