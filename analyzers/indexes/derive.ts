/**
 * Derives the index each query wants from the real Postgres parse tree (libpg-query): equality
 * and join columns first, then the ORDER BY columns with their direction (or the range columns),
 * partial on constant predicates such as deleted_at IS NULL; trigram GIN for LIKE '%q%' and
 * similarity, a tsvector GIN for to_tsvector(...) @@ .... The same rule Dexter and PgHero apply
 * (equality before range/sort), written here over the parse tree rather than from their code.
 */
import { parse } from 'libpg-query';
import type { GinKind, IndexKey, WantedIndex } from './types.ts';

type Node = Record<string, unknown>;

interface Facts {
  equality: string[];
  join: string[];
  range: string[];
  order: { column: string; direction: 'ASC' | 'DESC' }[] | undefined;
  predicates: string[];
  gin: GinKind[];
}

const RANGE_OPS = new Set(['<', '>', '<=', '>=']);

function unwrap(n: unknown): Node | undefined {
  let node = n as Node | undefined;
  // Casts and collations do not change which column an expression is about.
  while (node && (node.TypeCast || node.CollateClause)) node = ((node.TypeCast ?? node.CollateClause) as Node).arg as Node;
  return node;
}

function isValue(n: unknown): boolean {
  const node = unwrap(n);
  if (!node) return false;
  if (node.ParamRef || node.A_Const) return true;
  if (node.FuncCall) return ((node.FuncCall as Node).args as unknown[] | undefined ?? []).every(isValue);
  if (node.A_Expr) {
    const e = node.A_Expr as Node;
    return (e.lexpr === undefined || isValue(e.lexpr)) && isValue(e.rexpr);
  }
  return false;
}

function str(n: unknown): string {
  return String(((n as Node).String as Node | undefined)?.sval ?? '');
}

function constText(n: unknown): string | undefined {
  const node = unwrap(n);
  const c = node?.A_Const as Node | undefined;
  return (c?.sval as Node | undefined)?.sval as string | undefined;
}

/** A LIKE pattern that starts with a wildcard: '%' || $1 || '%' or '%foo%'. */
function leadingWildcard(n: unknown): boolean {
  const node = unwrap(n);
  const text = constText(node);
  if (text !== undefined) return text.startsWith('%') || text.startsWith('_');
  if (node?.ParamRef) return true; // unknown pattern: assume the worst, as the platform passes '%q%'
  const e = node?.A_Expr as Node | undefined;
  if (e && str((e.name as unknown[])[0]) === '||') return leadingWildcard(e.lexpr);
  return false;
}

class Scope {
  readonly tables = new Map<string, string>(); // alias or name -> table
  readonly facts = new Map<string, Facts>();

  add(rangeVar: Node): void {
    const table = String(rangeVar.relname);
    const alias = ((rangeVar.alias as Node | undefined)?.aliasname as string | undefined) ?? table;
    this.tables.set(alias, table);
    if (alias !== table) this.tables.set(table, table);
    if (!this.facts.has(table)) this.facts.set(table, { equality: [], join: [], range: [], order: undefined, predicates: [], gin: [] });
  }

  /** The table and column a ColumnRef names; unqualified columns resolve only when one table is in scope. */
  column(n: unknown): { table: string; column: string } | undefined {
    const ref = unwrap(n)?.ColumnRef as Node | undefined;
    if (!ref) return undefined;
    const fields = (ref.fields as unknown[]).map(str);
    if (fields.length === 2) {
      const table = this.tables.get(fields[0]!);
      return table ? { table, column: fields[1]! } : undefined;
    }
    const distinct = [...new Set(this.tables.values())];
    return fields.length === 1 && distinct.length === 1 ? { table: distinct[0]!, column: fields[0]! } : undefined;
  }

  f(table: string): Facts {
    return this.facts.get(table)!;
  }
}

function pushUnique(list: string[], v: string): void {
  if (!list.includes(v)) list.push(v);
}

function conjuncts(n: unknown): unknown[] {
  const b = (n as Node | undefined)?.BoolExpr as Node | undefined;
  if (b?.boolop === 'AND_EXPR') return (b.args as unknown[]).flatMap(conjuncts);
  return n === undefined ? [] : [n];
}

/** A GIN want from one condition, or undefined: trigram for LIKE '%q%' and %, tsvector for @@. */
function ginOf(scope: Scope, n: unknown): { table: string; gin: GinKind } | undefined {
  const e = (n as Node).A_Expr as Node | undefined;
  if (!e) return undefined;
  const op = str((e.name as unknown[])[0]);
  if (e.kind === 'AEXPR_LIKE' || e.kind === 'AEXPR_ILIKE' || (e.kind === 'AEXPR_OP' && op === '%')) {
    const col = scope.column(e.lexpr);
    if (col && (op === '%' || leadingWildcard(e.rexpr))) return { table: col.table, gin: { kind: 'trgm', column: col.column } };
  }
  if (e.kind === 'AEXPR_OP' && op === '@@') {
    const fn = unwrap(e.lexpr)?.FuncCall as Node | undefined;
    const args = (fn?.args as unknown[] | undefined) ?? [];
    if (fn && str((fn.funcname as unknown[]).at(-1)) === 'to_tsvector' && args.length === 2) {
      const col = scope.column(args[1]);
      const config = constText(args[0]);
      if (col && config) return { table: col.table, gin: { kind: 'fts', config, column: col.column } };
    }
  }
  return undefined;
}

function condition(scope: Scope, n: unknown, subqueries: Node[]): void {
  const node = n as Node;
  if (node.NullTest) {
    const t = node.NullTest as Node;
    const col = scope.column(t.arg);
    if (col) pushUnique(scope.f(col.table).predicates, `${col.column} ${t.nulltesttype === 'IS_NULL' ? 'IS NULL' : 'IS NOT NULL'}`);
    return;
  }
  if (node.BoolExpr) {
    const b = node.BoolExpr as Node;
    // An OR is served by a BitmapOr of one index per branch: only when every branch has one.
    if (b.boolop === 'OR_EXPR') {
      const gins = (b.args as unknown[]).map((a) => ginOf(scope, a));
      if (gins.every(Boolean)) for (const g of gins) scope.f(g!.table).gin.push(g!.gin);
    }
    return;
  }
  if (node.SubLink) {
    const s = node.SubLink as Node;
    const col = scope.column(s.testexpr);
    if (col && s.subLinkType === 'ANY_SUBLINK') pushUnique(scope.f(col.table).equality, col.column);
    subqueries.push(s.subselect as Node);
    return;
  }
  const gin = ginOf(scope, n);
  if (gin) {
    scope.f(gin.table).gin.push(gin.gin);
    return;
  }
  const e = node.A_Expr as Node | undefined;
  if (!e) return;
  const op = str((e.name as unknown[])[0]);
  const l = scope.column(e.lexpr);
  const r = scope.column(e.rexpr);
  if ((e.kind === 'AEXPR_OP' && op === '=') || e.kind === 'AEXPR_OP_ANY' || e.kind === 'AEXPR_IN') {
    if (l && r && l.table !== r.table) {
      pushUnique(scope.f(l.table).join, l.column);
      pushUnique(scope.f(r.table).join, r.column);
    } else if (l && isValue(e.rexpr)) pushUnique(scope.f(l.table).equality, l.column);
    else if (r && isValue(e.lexpr)) pushUnique(scope.f(r.table).equality, r.column);
    return;
  }
  if ((e.kind === 'AEXPR_OP' && RANGE_OPS.has(op)) || e.kind === 'AEXPR_BETWEEN') {
    const row = unwrap(e.lexpr)?.RowExpr as Node | undefined;
    const cols = row ? (row.args as unknown[]).map((a) => scope.column(a)) : [l ?? (isValue(e.lexpr) ? r : undefined)];
    for (const c of cols) if (c) pushUnique(scope.f(c.table).range, c.column);
  }
}

function addFrom(scope: Scope, item: unknown, quals: unknown[], subqueries: Node[]): void {
  const n = item as Node;
  if (n.RangeVar) scope.add(n.RangeVar as Node);
  else if (n.JoinExpr) {
    const j = n.JoinExpr as Node;
    addFrom(scope, j.larg, quals, subqueries);
    addFrom(scope, j.rarg, quals, subqueries);
    if (j.quals) quals.push(...conjuncts(j.quals));
  } else if (n.RangeSubselect) subqueries.push((n.RangeSubselect as Node).subquery as Node);
}

function block(stmt: Node, results: Map<string, Facts>[]): void {
  const scope = new Scope();
  const quals: unknown[] = [];
  const subqueries: Node[] = [];
  const s = (stmt.SelectStmt ?? stmt.DeleteStmt ?? stmt.UpdateStmt) as Node | undefined;
  if (!s) return;
  if (s.larg) block({ SelectStmt: s.larg }, results);
  if (s.rarg) block({ SelectStmt: s.rarg }, results);
  for (const cte of ((s.withClause as Node | undefined)?.ctes as unknown[] | undefined) ?? []) {
    const q = ((cte as Node).CommonTableExpr as Node | undefined)?.ctequery as Node | undefined;
    if (q) subqueries.push(q);
  }
  if (s.relation) scope.add(s.relation as Node);
  for (const item of [...((s.fromClause as unknown[]) ?? []), ...((s.usingClause as unknown[]) ?? [])]) addFrom(scope, item, quals, subqueries);
  for (const c of [...conjuncts(s.whereClause), ...quals]) condition(scope, c, subqueries);
  const sort = (s.sortClause as unknown[] | undefined) ?? [];
  if (sort.length) {
    const keys = sort.map((k) => {
      const by = (k as Node).SortBy as Node;
      const col = scope.column(by.node);
      return col && { ...col, direction: by.sortby_dir === 'SORTBY_DESC' ? ('DESC' as const) : ('ASC' as const) };
    });
    // An index can only provide the order when every key is a plain column of one table.
    const first = keys[0];
    if (first && keys.every((k) => k && k.table === first.table)) scope.f(first.table).order = keys.map((k) => ({ column: k!.column, direction: k!.direction }));
  }
  results.push(scope.facts);
  for (const sub of subqueries) if (sub) block(sub, results);
}

function quoteIdent(id: string): string {
  return /^[a-z_][a-z0-9_]*$/.test(id) ? id : `"${id.replace(/"/g, '""')}"`;
}

function btreeFrom(queryId: string, table: string, f: Facts): WantedIndex | undefined {
  const keys: IndexKey[] = [];
  const has = (c: string) => keys.some((k) => k.column === c);
  for (const c of f.equality) if (!has(c)) keys.push({ column: c, role: 'equality' });
  for (const c of f.join) if (!has(c)) keys.push({ column: c, role: 'join' });
  const orderCols = (f.order ?? []).map((o) => o.column);
  // ORDER BY columns serve the range too when the range is on them (keyset paging); else the range alone.
  if (f.order && f.range.every((c) => orderCols.includes(c) || has(c))) {
    for (const o of f.order) if (!has(o.column)) keys.push({ column: o.column, direction: o.direction, role: 'order' });
  } else {
    for (const c of f.range) if (!has(c)) keys.push({ column: c, role: 'range' });
  }
  if (keys.length === 0) return undefined;
  const predicate = f.predicates.length ? f.predicates.join(' AND ') : undefined;
  const cols = keys.map((k) => `${quoteIdent(k.column)}${k.direction === 'DESC' ? ' DESC' : ''}`).join(', ');
  const parts = [
    f.equality.length ? `equality on ${f.equality.join(', ')}` : '',
    f.join.length ? `join on ${f.join.join(', ')}` : '',
    keys.some((k) => k.role === 'order') ? `ORDER BY ${(f.order ?? []).map((o) => `${o.column} ${o.direction}`).join(', ')}` : '',
    keys.some((k) => k.role === 'range') ? `range on ${keys.filter((k) => k.role === 'range').map((k) => k.column).join(', ')}` : '',
    predicate ? `partial WHERE ${predicate}` : '',
  ].filter(Boolean);
  return {
    queryId, table, method: 'btree', keys, reason: parts.join('; '),
    ddl: `CREATE INDEX ON ${quoteIdent(table)} (${cols})${predicate ? ` WHERE ${predicate}` : ''}`,
    ...(predicate ? { predicate } : {}),
  };
}

function ginFrom(queryId: string, table: string, gin: GinKind, predicate: string | undefined): WantedIndex {
  const expr = gin.kind === 'trgm' ? `${quoteIdent(gin.column)} gin_trgm_ops` : `to_tsvector('${gin.config.replace(/'/g, "''")}', ${quoteIdent(gin.column)})`;
  // A trigram index serves LIKE on any row; only the full-text index mirrors the query's constant predicate.
  const where = gin.kind === 'fts' ? predicate : undefined;
  return {
    queryId, table, method: 'gin', keys: [], gin,
    reason: gin.kind === 'trgm' ? `LIKE '%q%' or similarity on ${gin.column}: trigram GIN` : `full-text match on to_tsvector('${gin.config}', ${gin.column}): GIN over the same expression`,
    ddl: `CREATE INDEX ON ${quoteIdent(table)} USING gin (${expr})${where ? ` WHERE ${where}` : ''}`,
    ...(where ? { predicate: where } : {}),
  };
}

export type DeriveResult = { ok: true; wanted: WantedIndex[] } | { ok: false; reason: string };

export async function deriveWantedIndexes(queryId: string, sql: string): Promise<DeriveResult> {
  let tree: Awaited<ReturnType<typeof parse>>;
  try {
    tree = await parse(sql);
  } catch (e) {
    return { ok: false, reason: `unparseable SQL: ${(e as Error).message}` };
  }
  if ((tree.stmts ?? []).length !== 1) return { ok: false, reason: `expected exactly one statement, found ${(tree.stmts ?? []).length}` };
  const results: Map<string, Facts>[] = [];
  block(tree.stmts![0]!.stmt as Node, results);
  const wanted: WantedIndex[] = [];
  for (const facts of results) {
    for (const [table, f] of facts) {
      const predicate = f.predicates.length ? f.predicates.join(' AND ') : undefined;
      // A text-search table's rows come from the GIN index; a b-tree on its ORDER BY alone would not use the match.
      if (f.gin.length === 0) {
        const b = btreeFrom(queryId, table, f);
        if (b) wanted.push(b);
      }
      for (const g of f.gin) wanted.push(ginFrom(queryId, table, g, predicate));
    }
  }
  const seen = new Set<string>();
  return { ok: true, wanted: wanted.filter((w) => !seen.has(w.ddl) && seen.add(w.ddl)) };
}
