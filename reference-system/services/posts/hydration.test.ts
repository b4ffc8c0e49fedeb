import { describe, expect, it } from 'vitest';
import type { Db } from '../../shared/context.ts';
import { toPostView } from '../common/rows.ts';
import { assembleFeed, distinctAuthorIds, loadAuthors } from './hydration.ts';
import { SQL } from '../../../sql-audit/catalog.ts';

// Literal rows as pg returns them: bigint ids as strings, timestamps as Date.
const postRows = [
  { id: '30', user_id: '2', body: 'third', like_count: 1, comment_count: 0, created_at: new Date('2026-01-03T00:00:00Z') },
  { id: '20', user_id: '1', body: 'second', like_count: 0, comment_count: 4, created_at: new Date('2026-01-02T00:00:00Z') },
  { id: '10', user_id: '2', body: 'first', like_count: 0, comment_count: 0, created_at: new Date('2026-01-01T00:00:00Z') },
];
const userRows: Record<string, { id: string; username: string; display_name: string; status: string }> = {
  '1': { id: '1', username: 'ada', display_name: 'Ada', status: 'online' },
  '2': { id: '2', username: 'bob', display_name: 'Bob', status: 'offline' },
};

/** A Db answering the two catalog hydration queries from the literal rows, recording each call. */
function recordingDb() {
  const calls: { name: string; sql: string; params: readonly unknown[] }[] = [];
  const db: Pick<Db, 'query'> = {
    async query<R>(name: string, sql: string, params: readonly unknown[] = []) {
      calls.push({ name, sql, params });
      if (name === 'hydrate_authors') return (params[0] as number[]).map((id) => userRows[String(id)]).filter(Boolean) as R[];
      if (name === 'hydrate_author') return [userRows[String(params[0])]].filter(Boolean) as R[];
      throw new Error(`unexpected query ${name}`);
    },
  };
  return { db, calls };
}

describe('feed hydration', () => {
  const posts = postRows.map(toPostView);

  it('maps pg rows to the API view', () => {
    expect(posts[0]).toEqual({ id: 30, authorId: 2, body: 'third', likeCount: 1, commentCount: 0, createdAt: '2026-01-03T00:00:00.000Z' });
  });

  it('lists each author once in first-seen order', () => {
    expect(distinctAuthorIds(posts)).toEqual([2, 1]);
  });

  it('attaches authors without reordering posts, null for a missing author', () => {
    const items = assembleFeed(posts, new Map([[2, { id: 2, username: 'bob', displayName: 'Bob' }]]));
    expect(items.map((i) => [i.id, i.author?.username ?? null])).toEqual([[30, 'bob'], [20, null], [10, 'bob']]);
  });

  it('batched: one = ANY($1) query with the distinct author ids', async () => {
    const { db, calls } = recordingDb();
    const authors = await loadAuthors(db, posts, true);
    expect(calls).toEqual([{ name: 'hydrate_authors', sql: SQL.hydrate_authors, params: [[2, 1]] }]);
    expect(assembleFeed(posts, authors).map((i) => i.author?.displayName)).toEqual(['Bob', 'Ada', 'Bob']);
  });

  it('N+1: one query per post, repeats included, same result', async () => {
    const { db, calls } = recordingDb();
    const authors = await loadAuthors(db, posts, false);
    expect(calls.map((c) => [c.name, c.params[0]])).toEqual([['hydrate_author', 2], ['hydrate_author', 1], ['hydrate_author', 2]]);
    expect(calls.every((c) => c.sql === SQL.hydrate_author)).toBe(true);
    expect(assembleFeed(posts, authors).map((i) => i.author?.displayName)).toEqual(['Bob', 'Ada', 'Bob']);
  });

  it('asks nothing for an empty page when batched', async () => {
    const { db, calls } = recordingDb();
    expect((await loadAuthors(db, [], true)).size).toBe(0);
    expect(calls).toHaveLength(0);
  });
});
