/**
 * What the audit accepts to EXPLAIN: exactly one SELECT/INSERT/UPDATE/DELETE, parsed by the real
 * Postgres parser (libpg-query), with its values as $n bind parameters. Anything else is refused
 * with a message saying what was found, before the database sees it.
 */
import { parse } from 'libpg-query';

export type StatementCheck =
  | { ok: true; kind: 'select' | 'insert' | 'update' | 'delete'; writes: boolean; paramCount: number; tree: unknown }
  | { ok: false; reason: string };

const KINDS = { SelectStmt: 'select', InsertStmt: 'insert', UpdateStmt: 'update', DeleteStmt: 'delete' } as const;
const WRITE_NODES = new Set(['InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt']);

/** Visits every object node of a parse tree with its node-type key (e.g. "ParamRef"). */
export function visitTree(tree: unknown, visit: (type: string, node: Record<string, unknown>) => void): void {
  const go = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(go);
    if (!v || typeof v !== 'object') return;
    for (const [key, child] of Object.entries(v as Record<string, unknown>)) {
      if (/^[A-Z]/.test(key) && child && typeof child === 'object' && !Array.isArray(child)) visit(key, child as Record<string, unknown>);
      go(child);
    }
  };
  go(tree);
}

export async function checkStatement(sql: string): Promise<StatementCheck> {
  let tree: Awaited<ReturnType<typeof parse>>;
  try {
    tree = await parse(sql);
  } catch (e) {
    const err = e as Error & { sqlDetails?: { cursorPosition?: number } };
    const at = err.sqlDetails?.cursorPosition;
    return { ok: false, reason: `unparseable SQL: ${err.message}${at === undefined ? '' : ` at character ${at + 1}`}` };
  }
  const stmts = tree.stmts ?? [];
  if (stmts.length !== 1) return { ok: false, reason: `expected exactly one statement, found ${stmts.length}; put each query in its own file` };
  const stmt = (stmts[0]?.stmt ?? {}) as Record<string, unknown>;
  const type = Object.keys(stmt)[0] ?? 'empty';
  const kind = KINDS[type as keyof typeof KINDS];
  if (!kind) return { ok: false, reason: `unsupported statement ${type}: only SELECT, INSERT, UPDATE and DELETE are explained` };
  if (type === 'SelectStmt' && (stmt.SelectStmt as Record<string, unknown>).intoClause) {
    return { ok: false, reason: 'SELECT ... INTO creates a table; only plain SELECT, INSERT, UPDATE and DELETE are explained' };
  }
  let paramCount = 0;
  let writes = kind !== 'select';
  visitTree(tree, (t, node) => {
    if (t === 'ParamRef') paramCount = Math.max(paramCount, Number(node.number ?? 0));
    if (WRITE_NODES.has(t)) writes = true; // a data-modifying CTE makes a SELECT a write
  });
  return { ok: true, kind, writes, paramCount, tree };
}
