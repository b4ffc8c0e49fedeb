/**
 * Author hydration of a page of posts (NV-3, NF-11). With `batched-hydration` on, the page's
 * distinct authors come back in ONE `= ANY($1)` query; off, the baseline asks once per post, in
 * sequence, as the original loop did (N+1 round trips for N posts). The assembly is pure.
 */
import type { Db } from '../../shared/context.ts';
import { toAuthorView, toId, type AuthorRow, type AuthorView, type PostView } from '../common/rows.ts';
import { Q } from './queries.ts';

export interface FeedItem extends PostView {
  /** Null only if the author row is missing (users are never hard-deleted, so: never in practice). */
  author: AuthorView | null;
}

/** The page's authors, each once, in first-seen order. */
export function distinctAuthorIds(posts: readonly PostView[]): number[] {
  return [...new Set(posts.map((p) => p.authorId))];
}

/** Attaches each post's author; keeps the posts' order. */
export function assembleFeed(posts: readonly PostView[], authors: ReadonlyMap<number, AuthorView>): FeedItem[] {
  return posts.map((p) => ({ ...p, author: authors.get(p.authorId) ?? null }));
}

type Row = AuthorRow & Record<string, unknown>;

export async function loadAuthors(db: Pick<Db, 'query'>, posts: readonly PostView[], batched: boolean): Promise<Map<number, AuthorView>> {
  return batched ? loadAuthorsBatched(db, posts) : loadAuthorsOnePerPost(db, posts);
}

async function loadAuthorsBatched(db: Pick<Db, 'query'>, posts: readonly PostView[]): Promise<Map<number, AuthorView>> {
  const ids = distinctAuthorIds(posts);
  if (ids.length === 0) return new Map();
  const rows = await db.query<Row>('hydrate_authors', Q.hydrate_authors, [ids]);
  return new Map(rows.map((r) => [toId(r.id), toAuthorView(r)]));
}

/** The baseline's N+1: one round trip per post, even when the author repeats. */
async function loadAuthorsOnePerPost(db: Pick<Db, 'query'>, posts: readonly PostView[]): Promise<Map<number, AuthorView>> {
  const out = new Map<number, AuthorView>();
  for (const p of posts) {
    const rows = await db.query<Row>('hydrate_author', Q.hydrate_author, [p.authorId]);
    if (rows[0]) out.set(p.authorId, toAuthorView(rows[0]));
  }
  return out;
}
