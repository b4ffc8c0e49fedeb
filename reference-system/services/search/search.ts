/**
 * Post and user search, cached 5 minutes per (form, limit, normalised q) (LC-1). With
 * `statement-timeouts` on, the query runs under config.statementTimeoutMs; a timeout answers an
 * EMPTY list flagged `degraded` with the reason (status 200, like trending's NV-4 fallback), and
 * that answer is not cached. With the switch off the query runs unbounded, as the baseline did.
 */
import type { ServiceContext } from '../../shared/context.ts';
import { toAuthorView, toPostView, type AuthorRow, type AuthorView, type PostRow, type PostView } from '../common/rows.ts';
import { isStatementTimeout, statementTimeoutOf, UncachedAnswer } from '../common/timeouts.ts';
import { searchQuery, termFor, type SearchKind } from './queries.ts';

export const SEARCH_TTL_S = 5 * 60;

export interface SearchAnswer<T> {
  items: T[];
  /** Which form ran: search_posts_like, search_posts_fulltext, search_users_like, search_users_trigram. */
  query: string;
  degraded: boolean;
  reason?: string;
}

/** Case does not change any form's result (ILIKE, tsvector, pg_trgm all fold case), so the key folds it too. */
export const searchKey = (queryId: string, limit: number, q: string): string => `search:${queryId}:${limit}:${q.toLowerCase()}`;

export function searchPosts(ctx: ServiceContext, q: string, limit: number) {
  return runSearch<PostView>(ctx, 'posts', q, limit, (r) => toPostView(r as unknown as PostRow));
}

export function searchUsers(ctx: ServiceContext, q: string, limit: number) {
  return runSearch<AuthorView>(ctx, 'users', q, limit, (r) => toAuthorView(r as unknown as AuthorRow));
}

async function runSearch<T>(
  ctx: ServiceContext,
  kind: SearchKind,
  q: string,
  limit: number,
  toView: (r: Record<string, unknown>) => T,
): Promise<{ answer: SearchAnswer<T>; hit: boolean }> {
  const query = searchQuery(kind, ctx.switches);
  const timeoutMs = statementTimeoutOf(ctx);
  try {
    const { value, hit } = await ctx.cache.getOrLoad(searchKey(query.id, limit, q), SEARCH_TTL_S, async (): Promise<SearchAnswer<T>> => {
      try {
        const rows = await ctx.db
          .forModule(`search-${kind}`)
          .query(query.id, query.sql, [termFor(query, q), limit], timeoutMs === undefined ? undefined : { statementTimeoutMs: timeoutMs });
        return { items: rows.map(toView), query: query.id, degraded: false };
      } catch (err) {
        if (timeoutMs !== undefined && isStatementTimeout(err)) throw new UncachedAnswer(degraded<T>(ctx, query.id, timeoutMs));
        throw err;
      }
    });
    return { answer: value, hit };
  } catch (err) {
    if (err instanceof UncachedAnswer) return { answer: err.value as SearchAnswer<T>, hit: false };
    throw err;
  }
}

function degraded<T>(ctx: ServiceContext, queryId: string, timeoutMs: number): SearchAnswer<T> {
  const reason = `${queryId} exceeded its ${timeoutMs} ms statement timeout`;
  ctx.log.warn({ query: queryId, timeoutMs }, reason);
  return { items: [], query: queryId, degraded: true, reason };
}
