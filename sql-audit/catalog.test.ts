import { describe, expect, it } from 'vitest';
import { parse } from 'libpg-query';
import { switchesFor } from '../core/index.ts';
import { NAMED_QUERIES, QUERY_CATALOG, SQL, queryForm } from './catalog.ts';

/** Highest $n in a statement, from the real parser's ParamRef nodes. */
function maxParam(tree: unknown): number {
  let max = 0;
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(visit);
    if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      const ref = o.ParamRef as { number?: number } | undefined;
      if (ref?.number) max = Math.max(max, ref.number);
      Object.values(o).forEach(visit);
    }
  };
  visit(tree);
  return max;
}

describe('query catalog', () => {
  it.each(NAMED_QUERIES.map((q) => [q.id, q] as const))('%s parses as one statement with one spec per $n', async (_id, q) => {
    const tree = await parse(q.sql);
    expect(tree.stmts).toHaveLength(1);
    expect(q.params).toHaveLength(maxParam(tree));
  });

  it('names an unknown query with the valid ids', () => {
    expect(() => QUERY_CATALOG.get('get_user_post')).toThrow(/unknown query "get_user_post"; expected one of: get_user_posts, /);
  });

  it('exports the NV-1 text the audit explains', () => {
    expect(SQL.get_user_posts).toContain('WHERE user_id = $1 AND deleted_at IS NULL\nORDER BY created_at DESC\nLIMIT 20');
  });

  it('picks one form of each family per variant', () => {
    expect(queryForm('search_posts', switchesFor('baseline')).id).toBe('search_posts_like');
    expect(queryForm('search_posts', switchesFor('optimized')).id).toBe('search_posts_fulltext');
    for (const family of ['get_message_history', 'hydrate_authors', 'search_users', 'expired_stories_cleanup'] as const) {
      expect(queryForm(family, switchesFor('baseline')).id).not.toBe(queryForm(family, switchesFor('optimized')).id);
    }
  });

  it('matches migration 007 expression in the full-text form', () => {
    expect(SQL.search_posts_fulltext).toContain("to_tsvector('english', body) @@ websearch_to_tsquery('english', $1)");
  });
});
