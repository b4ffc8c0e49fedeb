/**
 * A user's posts (get_user_posts, NV-1), newest first. The first page at the default size runs the
 * catalog's text verbatim (what the audit explains); later pages use keyset or OFFSET paging
 * according to the `keyset-paging` switch. Not cached: this is the query NV-1 measures.
 */
import type { ServiceContext } from '../../shared/context.ts';
import { cursorFor, nextCursor, pagingModeOf, type PageCursor } from '../common/cursor.ts';
import { toPostView, type PostRow, type PostView } from '../common/rows.ts';
import { CATALOG_USER_POSTS_LIMIT, Q } from './queries.ts';

export interface PostsPage {
  items: PostView[];
  nextCursor: string | null;
}

export async function getUserPosts(ctx: ServiceContext, userId: number, limit: number, rawCursor: string | undefined): Promise<PostsPage> {
  const mode = pagingModeOf(ctx.switches);
  const cursor = cursorFor(rawCursor, mode);
  const rows = await queryUserPosts(ctx, userId, limit, cursor);
  const items = rows.map(toPostView);
  return { items, nextCursor: nextCursor(mode, items, limit, cursor) };
}

type Row = PostRow & Record<string, unknown>;

function queryUserPosts(ctx: ServiceContext, userId: number, limit: number, cursor: PageCursor | null): Promise<Row[]> {
  const db = ctx.db.forModule('user-posts');
  if (cursor === null && limit === CATALOG_USER_POSTS_LIMIT) return db.query<Row>('get_user_posts', Q.get_user_posts, [userId]);
  if (cursor === null) return db.query<Row>('get_user_posts_head', Q.get_user_posts_head, [userId, limit]);
  if (cursor.kind === 'keyset') return db.query<Row>('get_user_posts_keyset', Q.get_user_posts_keyset, [userId, cursor.afterId, limit]);
  return db.query<Row>('get_user_posts_offset', Q.get_user_posts_offset, [userId, limit, cursor.offset]);
}
