/**
 * Trending posts: the ranking query (trending_posts) over the last day. It can run long on a big
 * table; with `statement-timeouts` on it runs under config.statementTimeoutMs and a timeout answers
 * an empty list flagged `degraded` (NV-4: the feed keeps answering and the pool is not starved).
 * With the switch off it runs unbounded, as the baseline did. Not cached: NV-4 measures the query.
 */
import type { ServiceContext } from '../../shared/context.ts';
import { toPostView, type PostRow, type PostView } from '../common/rows.ts';
import { isStatementTimeout, statementTimeoutOf } from '../common/timeouts.ts';
import { Q } from './queries.ts';

export const TRENDING_WINDOW_MS = 24 * 3600 * 1000;

export interface TrendingAnswer {
  items: PostView[];
  degraded: boolean;
  /** Why the answer is degraded, e.g. "trending_posts exceeded its 5000 ms statement timeout". */
  reason?: string;
}

export async function getTrending(ctx: ServiceContext, limit: number, now: Date = new Date()): Promise<TrendingAnswer> {
  const timeoutMs = statementTimeoutOf(ctx);
  const since = new Date(now.getTime() - TRENDING_WINDOW_MS);
  try {
    const rows = await ctx.db
      .forModule('ranking')
      .query<PostRow & Record<string, unknown>>('trending_posts', Q.trending_posts, [since, limit], timeoutMs === undefined ? undefined : { statementTimeoutMs: timeoutMs });
    return { items: rows.map(toPostView), degraded: false };
  } catch (err) {
    if (timeoutMs !== undefined && isStatementTimeout(err)) return emptyFallback(ctx, timeoutMs);
    throw err;
  }
}

function emptyFallback(ctx: ServiceContext, timeoutMs: number): TrendingAnswer {
  const reason = `trending_posts exceeded its ${timeoutMs} ms statement timeout`;
  ctx.log.warn({ query: 'trending_posts', timeoutMs }, reason);
  return { items: [], degraded: true, reason };
}
