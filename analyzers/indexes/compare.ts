/**
 * Whether an existing index already serves a wanted one: pure, over WantedIndex and ExistingIndex.
 * A b-tree serves it when its leading columns are the wanted equality/join columns (any order),
 * then the ORDER BY columns in order with the same directions (or all reversed: a backward scan),
 * and its own predicate, if partial, is one the query applies. A non-partial index serves a
 * partial want (the filter runs on the index's rows).
 */
import type { ExistingIndex, WantedIndex } from './types.ts';

export interface Coverage {
  status: 'covered' | 'partial' | 'missing';
  /** The best existing index, and how many of the wanted key columns it provides in order. */
  by?: ExistingIndex;
  matchedKeys: number;
}

/** Normalizes a predicate for comparison: "(deleted_at IS NULL)" and "deleted_at IS NULL" are equal. */
export function normalizePredicate(p: string | null | undefined): string {
  return (p ?? '').replace(/[()]/g, '').replace(/\s+/g, ' ').trim().toLowerCase();
}

function predicateUsable(existing: ExistingIndex, wanted: WantedIndex): boolean {
  if (!existing.predicate) return true;
  const have = normalizePredicate(existing.predicate).split(' and ');
  const want = normalizePredicate(wanted.predicate).split(' and ');
  return have.every((p) => want.includes(p));
}

/** Key columns of an existing b-tree that match the wanted keys in order; 0 when unusable. */
export function matchedKeys(existing: ExistingIndex, wanted: WantedIndex): number {
  if (existing.method !== 'btree' || !existing.valid || existing.table !== wanted.table || !predicateUsable(existing, wanted)) return 0;
  const cols = existing.columns;
  const eqSet = wanted.keys.filter((k) => k.role === 'equality' || k.role === 'join').map((k) => k.column);
  let i = 0;
  // Equality columns may come in any order among themselves.
  while (i < eqSet.length && i < cols.length && eqSet.includes(cols[i]!.expr)) i++;
  if (i < eqSet.length) return i;
  let flip: boolean | undefined;
  for (let k = eqSet.length; k < wanted.keys.length; k++) {
    const want = wanted.keys[k]!;
    const have = cols[k];
    if (!have || have.expr !== want.column) return k;
    if (want.role === 'order') {
      const same = have.desc === (want.direction === 'DESC');
      flip ??= !same;
      if (flip === same) return k;
    }
  }
  return wanted.keys.length;
}

function ginServes(existing: ExistingIndex, wanted: WantedIndex): boolean {
  const g = wanted.gin;
  if (!g || existing.method !== 'gin' || !existing.valid || existing.table !== wanted.table || !predicateUsable(existing, wanted)) return false;
  if (g.kind === 'trgm') return /gin_trgm_ops/.test(existing.definition) && existing.columns.some((c) => c.expr === g.column);
  // pg prints to_tsvector('english'::regconfig, body); the config and the column must both match.
  return existing.columns.some((c) => /to_tsvector/.test(c.expr) && c.expr.includes(`'${g.config}'`) && new RegExp(`\\b${g.column}\\b`).test(c.expr));
}

export function coverage(wanted: WantedIndex, existing: readonly ExistingIndex[]): Coverage {
  if (wanted.method === 'gin') {
    const by = existing.find((e) => ginServes(e, wanted));
    return by ? { status: 'covered', by, matchedKeys: 0 } : { status: 'missing', matchedKeys: 0 };
  }
  let best: Coverage = { status: 'missing', matchedKeys: 0 };
  for (const e of existing) {
    const m = matchedKeys(e, wanted);
    if (m > best.matchedKeys || (m === best.matchedKeys && m > 0 && best.by && e.columns.length < best.by.columns.length)) {
      best = { status: m === wanted.keys.length ? 'covered' : 'partial', by: e, matchedKeys: m };
    }
  }
  return best;
}
