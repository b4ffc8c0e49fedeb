/**
 * Postgres's EXPLAIN (FORMAT JSON) plan, the fields the checks read. Names are Postgres's own.
 * Actual* fields exist only with ANALYZE; "Actual Rows" is per loop, so totals multiply by loops.
 */
export interface PlanNode {
  'Node Type': string;
  'Parent Relationship'?: string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Alias?: string;
  'Startup Cost'?: number;
  'Total Cost'?: number;
  'Plan Rows'?: number;
  'Plan Width'?: number;
  'Actual Startup Time'?: number;
  'Actual Total Time'?: number;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Sort Key'?: string[];
  'Sort Method'?: string;
  'Sort Space Used'?: number;
  'Sort Space Type'?: string;
  'Index Cond'?: string;
  'Recheck Cond'?: string;
  Filter?: string;
  'Join Filter'?: string;
  'Hash Cond'?: string;
  'Rows Removed by Filter'?: number;
  'Rows Removed by Index Recheck'?: number;
  'Rows Removed by Join Filter'?: number;
  'Hash Batches'?: number;
  'Original Hash Batches'?: number;
  'Peak Memory Usage'?: number;
  'HashAgg Batches'?: number;
  'Disk Usage'?: number;
  'Shared Hit Blocks'?: number;
  'Shared Read Blocks'?: number;
  'Temp Read Blocks'?: number;
  'Temp Written Blocks'?: number;
  Plans?: PlanNode[];
  [other: string]: unknown;
}

/** One element of the array EXPLAIN (FORMAT JSON) returns. */
export interface ExplainOutput {
  Plan: PlanNode;
  'Planning Time'?: number;
  'Execution Time'?: number;
  [other: string]: unknown;
}

/** What a check receives: the plan of one named query and what it knows about it. */
export interface PlanSnapshot {
  /** Query id (catalog name or file name): the Finding's location. */
  queryId: string;
  plan: ExplainOutput;
  /** Whether EXPLAIN ran with ANALYZE (actual rows and times present). */
  analyzed: boolean;
  claimIds?: readonly string[];
}

export interface WalkedNode {
  node: PlanNode;
  parent: PlanNode | undefined;
  /** "Limit > Sort > Bitmap Heap Scan", for locating a node in messages. */
  path: string;
}

/** Every node of the plan, depth first, with its parent and path. */
export function walkPlan(root: PlanNode): WalkedNode[] {
  const out: WalkedNode[] = [];
  const visit = (node: PlanNode, parent: PlanNode | undefined, prefix: string): void => {
    const path = prefix ? `${prefix} > ${describeNode(node)}` : describeNode(node);
    out.push({ node, parent, path });
    for (const child of node.Plans ?? []) visit(child, node, path);
  };
  visit(root, undefined, '');
  return out;
}

export function describeNode(node: PlanNode): string {
  const on = node['Relation Name'] ? ` on ${node['Relation Name']}` : '';
  const using = node['Index Name'] ? ` using ${node['Index Name']}` : '';
  return `${node['Node Type']}${using}${on}`;
}

export function loopsOf(node: PlanNode): number {
  return node['Actual Loops'] ?? 1;
}

/** Rows a node produced over all its loops: actual when analyzed, else the planner's estimate. */
export function totalRowsOut(node: PlanNode): number {
  if (node['Actual Rows'] !== undefined) return node['Actual Rows'] * loopsOf(node);
  return node['Plan Rows'] ?? 0;
}

/** Rows a scan read over all loops: what it returned plus what its filter threw away (analyzed plans only). */
export function totalRowsRead(node: PlanNode): number {
  const removed = (node['Rows Removed by Filter'] ?? 0) + (node['Rows Removed by Index Recheck'] ?? 0);
  return ((node['Actual Rows'] ?? 0) + removed) * loopsOf(node);
}

/** Inclusive time of a node over all loops, in ms (analyzed plans only). */
export function totalTimeMs(node: PlanNode): number {
  return (node['Actual Total Time'] ?? 0) * loopsOf(node);
}

export function isScan(node: PlanNode): boolean {
  return /Scan$/.test(node['Node Type']);
}

export function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** The plan's shape on one line: "Limit > Sort > Bitmap Heap Scan on posts > Bitmap Index Scan using posts_user_id_idx". */
export function planShape(node: PlanNode): string {
  const children = node.Plans ?? [];
  const self = describeNode(node);
  if (children.length === 0) return self;
  if (children.length === 1) return `${self} > ${planShape(children[0]!)}`;
  return `${self} > [${children.map(planShape).join(' | ')}]`;
}
