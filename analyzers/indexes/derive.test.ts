import { describe, expect, it } from 'vitest';
import { SQL } from '../../sql-audit/catalog.ts';
import { deriveWantedIndexes } from './derive.ts';

async function ddls(sql: string): Promise<string[]> {
  const r = await deriveWantedIndexes('q', sql);
  if (!r.ok) throw new Error(r.reason);
  return r.wanted.map((w) => w.ddl);
}

describe('deriveWantedIndexes', () => {
  it('wants NV-1 fix for get_user_posts: equality, then ORDER BY with direction, partial on deleted_at', async () => {
    expect(await ddls(SQL.get_user_posts)).toEqual(['CREATE INDEX ON posts (user_id, created_at DESC) WHERE deleted_at IS NULL']);
  });
  it('wants follows(follower_id, followee_id) and the per-author ordered posts index for the feed join', async () => {
    expect(await ddls(SQL.fetch_chronological_feed)).toEqual([
      'CREATE INDEX ON follows (follower_id, followee_id)',
      'CREATE INDEX ON posts (user_id, created_at DESC) WHERE deleted_at IS NULL',
    ]);
  });
  it('lets ORDER BY columns serve a keyset range on the same columns', async () => {
    expect(await ddls(SQL.get_message_history_keyset)).toEqual(['CREATE INDEX ON messages (conversation_id, created_at DESC, id DESC)']);
  });
  it('uses range columns when ORDER BY is an expression', async () => {
    expect(await ddls(SQL.trending_posts)).toEqual(['CREATE INDEX ON posts (created_at) WHERE deleted_at IS NULL']);
  });
  it('wants GIN indexes for text search: trigram per OR branch, tsvector over the same expression', async () => {
    expect(await ddls(SQL.search_users_like)).toEqual([
      'CREATE INDEX ON users USING gin (username gin_trgm_ops)',
      'CREATE INDEX ON users USING gin (display_name gin_trgm_ops)',
    ]);
    expect(await ddls(SQL.search_posts_fulltext)).toEqual(["CREATE INDEX ON posts USING gin (to_tsvector('english', body)) WHERE deleted_at IS NULL"]);
  });
  it('looks inside IN subqueries of a DELETE', async () => {
    expect(await ddls(SQL.expired_stories_cleanup_batch)).toContain('CREATE INDEX ON stories (expires_at)');
  });
  it('wants nothing for an INSERT', async () => {
    expect(await ddls(SQL.insert_message)).toEqual([]);
  });
  it('does not guess the table of an unqualified column in a join', async () => {
    expect(await ddls('SELECT 1 FROM a JOIN b ON a.id = b.a_id WHERE x = $1')).toEqual(['CREATE INDEX ON a (id)', 'CREATE INDEX ON b (a_id)']);
  });
  it('reports unparseable SQL', async () => {
    expect(await deriveWantedIndexes('q', 'SELECT FROM WHERE')).toEqual({ ok: false, reason: 'unparseable SQL: syntax error at or near "WHERE"' });
  });
});
