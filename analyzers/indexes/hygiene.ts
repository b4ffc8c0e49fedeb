/**
 * Index hygiene over the existing indexes (pure): duplicates (same table, method, keys and
 * predicate), redundant b-trees (keys a prefix of another's, same predicate, not enforcing
 * uniqueness) and unused indexes (no scans since statistics were reset). Like PgHero's
 * duplicate-index and unused-index pages, written from their documented rules.
 */
import type { Finding } from '../../core/index.ts';
import { normalizePredicate } from './compare.ts';
import type { ExistingIndex } from './types.ts';

const keyOf = (i: ExistingIndex) => i.columns.map((c) => `${c.expr}${c.desc ? ' DESC' : ''}`);
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

export interface HygieneInput {
  indexes: readonly ExistingIndex[];
  /** When pg_stat_user_indexes counts started (null: never reset, i.e. since the database was created). */
  statsReset: string | null;
  /** Report unused indexes only when the statistics cover real traffic (a long run or production). */
  reportUnused: boolean;
}

export function indexHygiene(input: HygieneInput): Finding[] {
  const findings: Finding[] = [];
  const reported = new Set<string>();
  const valid = input.indexes.filter((i) => i.valid);
  for (const a of valid) {
    for (const b of valid) {
      if (a === b || a.table !== b.table || a.method !== b.method || reported.has(a.name)) continue;
      if (normalizePredicate(a.predicate) !== normalizePredicate(b.predicate)) continue;
      const ka = keyOf(a);
      const kb = keyOf(b);
      const prefix = ka.length <= kb.length && ka.every((c, i) => c === kb[i]);
      if (!prefix) continue;
      const duplicate = ka.length === kb.length;
      // A shorter index that enforces uniqueness is not redundant; of two identical ones, keep the
      // one that enforces more (primary > unique > plain), then the first by name.
      const worth = (i: ExistingIndex) => (i.primary ? 2 : i.unique ? 1 : 0);
      if (duplicate ? worth(a) > worth(b) || (worth(a) === worth(b) && a.name < b.name) : worth(a) > 0) continue;
      reported.add(a.name);
      findings.push({
        checkId: duplicate ? 'duplicate-index' : 'redundant-index',
        severity: 'MEDIUM',
        title: `${duplicate ? 'Duplicate' : 'Redundant'} index ${a.name}`,
        location: `${a.table}.${a.name}`,
        problem: duplicate
          ? `${a.name} has the same keys (${ka.join(', ')}) as ${b.name}.`
          : `${a.name} (${ka.join(', ')}) is a prefix of ${b.name} (${kb.join(', ')}); every query it serves, ${b.name} serves.`,
        impact: `${mb(a.sizeBytes)} of index maintained on every write to ${a.table} for nothing.`,
        fix: `DROP INDEX CONCURRENTLY ${a.name}; (after checking no constraint or hint depends on it)`,
        explanation: `Same table, method (${a.method}) and predicate (${a.predicate ?? 'none'}); ${a.name} enforces no uniqueness that ${b.name} lacks.`,
        evidence: { index: a.definition, coveredBy: b.definition },
      });
    }
  }
  if (input.reportUnused) {
    for (const i of valid) {
      if (i.scans > 0 || i.unique || i.primary) continue;
      findings.push({
        checkId: 'unused-index',
        severity: 'LOW',
        title: `Unused index ${i.name}`,
        location: `${i.table}.${i.name}`,
        problem: `${i.name} has not been scanned since ${input.statsReset ?? 'the statistics began'} (pg_stat_user_indexes.idx_scan = 0).`,
        impact: `${mb(i.sizeBytes)} maintained on every write to ${i.table}.`,
        fix: `If the statistics cover representative traffic (and replicas agree), DROP INDEX CONCURRENTLY ${i.name}.`,
        explanation: 'Unique and primary-key indexes are never reported: they enforce constraints even when never scanned.',
        evidence: { index: i.definition, scans: i.scans, statsReset: input.statsReset },
      });
    }
  }
  return findings;
}
