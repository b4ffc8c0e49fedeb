import { describe, expect, it } from 'vitest';
import { switchesFor } from '../../../core/index.ts';
import { escapeLikeTerm, searchQuery, termFor } from './queries.ts';
import { searchKey } from './search.ts';

describe('search query forms', () => {
  it('runs LIKE in baseline and full text / trigram when fulltext-search is on', () => {
    expect(searchQuery('posts', switchesFor('baseline')).id).toBe('search_posts_like');
    expect(searchQuery('posts', switchesFor('optimized')).id).toBe('search_posts_fulltext');
    expect(searchQuery('users', switchesFor('baseline')).id).toBe('search_users_like');
    expect(searchQuery('users', switchesFor('optimized')).id).toBe('search_users_trigram');
  });

  it("repeats migration 007's index expression and partial predicate in the full-text form", () => {
    const sql = searchQuery('posts', switchesFor('optimized')).sql;
    expect(sql).toContain("to_tsvector('english', body) @@ websearch_to_tsquery('english', $1)");
    expect(sql).toContain('deleted_at IS NULL');
  });

  it('escapes LIKE wildcards in the bound value only for LIKE forms', () => {
    expect(escapeLikeTerm('100%_sure\\')).toBe('100\\%\\_sure\\\\');
    expect(termFor(searchQuery('posts', switchesFor('baseline')), '50%')).toBe('50\\%');
    expect(termFor(searchQuery('posts', switchesFor('optimized')), '50%')).toBe('50%');
  });

  it('keys cached results by form, limit and case-folded q', () => {
    expect(searchKey('search_posts_fulltext', 20, 'Rust Async')).toBe('search:search_posts_fulltext:20:rust async');
    expect(searchKey('search_posts_like', 20, 'x')).not.toBe(searchKey('search_posts_fulltext', 20, 'x'));
  });
});
