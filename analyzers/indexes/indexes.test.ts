import { describe, expect, it } from 'vitest';
import { SQL } from '../../sql-audit/catalog.ts';
import { coverage } from './compare.ts';
import { deriveWantedIndexes } from './derive.ts';
import { indexHygiene } from './hygiene.ts';
import type { ExistingIndex, WantedIndex } from './types.ts';

function idx(name: string, table: string, cols: string[], extra: Partial<ExistingIndex> = {}): ExistingIndex {
  const columns = cols.map((c) => ({ expr: c.replace(/ DESC$/, ''), desc: c.endsWith(' DESC') }));
  return { table, name, method: 'btree', unique: false, primary: false, valid: true, columns, predicate: null, definition: `CREATE INDEX ${name} ON public.${table} USING btree (${cols.join(', ')})`, sizeBytes: 2 * 1024 * 1024, scans: 0, ...extra };
}

async function wanted(sql: string): Promise<WantedIndex[]> {
  const r = await deriveWantedIndexes('q', sql);
  if (!r.ok) throw new Error(r.reason);
  return r.wanted;
}

describe('coverage', () => {
  it('finds NV-1 only partly served by posts(user_id): one key of two', async () => {
    const [w] = await wanted(SQL.get_user_posts);
    const c = coverage(w!, [idx('posts_pkey', 'posts', ['id'], { primary: true, unique: true }), idx('posts_user_id_idx', 'posts', ['user_id'])]);
    expect(c.status).toBe('partial');
    expect(c.by?.name).toBe('posts_user_id_idx');
    expect(c.matchedKeys).toBe(1);
  });
  it('accepts migration 001 and a non-partial index with the same keys, or all directions reversed', async () => {
    const [w] = await wanted(SQL.get_user_posts);
    expect(coverage(w!, [idx('m001', 'posts', ['user_id', 'created_at DESC'], { predicate: '(deleted_at IS NULL)' })]).status).toBe('covered');
    expect(coverage(w!, [idx('plain', 'posts', ['user_id', 'created_at'])]).status).toBe('covered');
  });
  it('rejects a wrong column order, a mixed direction and a predicate the query does not apply', async () => {
    const [w] = await wanted(SQL.get_message_history);
    expect(coverage(w!, [idx('swapped', 'messages', ['created_at DESC', 'conversation_id'])]).status).toBe('missing');
    expect(coverage(w!, [idx('mixed', 'messages', ['conversation_id', 'created_at DESC', 'id'])]).matchedKeys).toBe(2);
    const [p] = await wanted(SQL.get_user_posts);
    expect(coverage(p!, [idx('other_pred', 'posts', ['user_id', 'created_at DESC'], { predicate: '(like_count > 10)' })]).status).toBe('missing');
  });
  it('matches GIN indexes by operator class and expression', async () => {
    const [fts] = await wanted(SQL.search_posts_fulltext);
    const gin = idx('posts_body_fts_idx', 'posts', [], { method: 'gin', predicate: '(deleted_at IS NULL)', columns: [{ expr: "to_tsvector('english'::regconfig, body)", desc: false }], definition: "CREATE INDEX posts_body_fts_idx ON public.posts USING gin (to_tsvector('english'::regconfig, body)) WHERE (deleted_at IS NULL)" });
    expect(coverage(fts!, [gin]).status).toBe('covered');
    const [trgm] = await wanted(SQL.search_users_like);
    expect(coverage(trgm!, [gin]).status).toBe('missing');
  });
});

describe('indexHygiene', () => {
  it('reports a prefix b-tree as redundant but keeps unique and partial ones', () => {
    const found = indexHygiene({
      indexes: [
        idx('messages_conversation_id_idx', 'messages', ['conversation_id']),
        idx('messages_conversation_created_idx', 'messages', ['conversation_id', 'created_at DESC', 'id DESC']),
        idx('posts_user_id_idx', 'posts', ['user_id']),
        idx('posts_user_created_live_idx', 'posts', ['user_id', 'created_at DESC'], { predicate: '(deleted_at IS NULL)' }),
        idx('users_username_key', 'users', ['username'], { unique: true }),
        idx('users_username_idx', 'users', ['username', 'id']),
      ],
      statsReset: null,
      reportUnused: false,
    });
    expect(found.map((f) => [f.checkId, f.location])).toEqual([['redundant-index', 'messages.messages_conversation_id_idx']]);
    expect(found[0]?.fix).toBe('DROP INDEX CONCURRENTLY messages_conversation_id_idx; (after checking no constraint or hint depends on it)');
  });
  it('reports one of two identical indexes, keeping the unique one', () => {
    const found = indexHygiene({
      indexes: [idx('a_dup', 'follows', ['follower_id', 'followee_id']), idx('follows_uniq', 'follows', ['follower_id', 'followee_id'], { unique: true })],
      statsReset: null,
      reportUnused: false,
    });
    expect(found.map((f) => [f.checkId, f.location])).toEqual([['duplicate-index', 'follows.a_dup']]);
  });
  it('reports unused non-unique indexes only when asked', () => {
    const indexes = [idx('stories_expires_at_idx', 'stories', ['expires_at']), idx('stories_pkey', 'stories', ['id'], { primary: true, unique: true })];
    expect(indexHygiene({ indexes, statsReset: '2026-01-01T00:00:00.000Z', reportUnused: false })).toEqual([]);
    const [f, ...rest] = indexHygiene({ indexes, statsReset: '2026-01-01T00:00:00.000Z', reportUnused: true });
    expect(rest).toEqual([]);
    expect(f?.problem).toBe('stories_expires_at_idx has not been scanned since 2026-01-01T00:00:00.000Z (pg_stat_user_indexes.idx_scan = 0).');
  });
});
