/**
 * The search service runs the catalog's forms verbatim (sql-audit/catalog.ts): search_posts is
 * LIKE (baseline) or full text matching migration 007's index expression and predicate;
 * search_users is LIKE or pg_trgm similarity served by migration 008's GIN indexes. The form is
 * chosen by the `fulltext-search` switch through the catalog's queryForm.
 */
import { queryForm, type NamedQuery } from '../../../sql-audit/index.ts';
import type { Switches } from '../../../core/index.ts';

export type SearchKind = 'posts' | 'users';

export function searchQuery(kind: SearchKind, switches: Readonly<Switches>): NamedQuery {
  return queryForm(kind === 'posts' ? 'search_posts' : 'search_users', switches);
}

/**
 * The LIKE forms wrap the term in '%' || $1 || '%': a user's own % and _ would be wildcards, so
 * they (and the escape character) are escaped in the value, never spliced into the SQL.
 */
export function escapeLikeTerm(q: string): string {
  return q.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** The bind value for the form: escaped for LIKE forms, as typed for full text and trigram. */
export function termFor(query: NamedQuery, q: string): string {
  return query.usedWhen?.switch === 'fulltext-search' && query.usedWhen.on === false ? escapeLikeTerm(q) : q;
}
