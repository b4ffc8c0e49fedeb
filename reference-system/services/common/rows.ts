/**
 * Row shapes as pg returns them (bigint columns arrive as strings, timestamps as Date) and the JSON
 * views the API answers with. Views are plain JSON values so they cache as they are.
 */

export type PgId = string | number;
export type PgTime = Date | string;

export interface PostRow {
  id: PgId;
  user_id: PgId;
  body: string;
  like_count?: number;
  comment_count?: number;
  created_at: PgTime;
}

export interface PostView {
  id: number;
  authorId: number;
  body: string;
  likeCount: number;
  commentCount: number;
  createdAt: string;
}

export interface AuthorRow {
  id: PgId;
  username: string;
  display_name: string;
  status?: string;
}

export interface AuthorView {
  id: number;
  username: string;
  displayName: string;
}

export function toId(v: PgId): number {
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isSafeInteger(n)) throw new Error(`id ${String(v)} is not a safe integer`);
  return n;
}

export function toIso(v: PgTime | null | undefined): string | null {
  if (v === null || v === undefined) return null;
  return (v instanceof Date ? v : new Date(v)).toISOString();
}

export function toPostView(r: PostRow): PostView {
  return {
    id: toId(r.id),
    authorId: toId(r.user_id),
    body: r.body,
    likeCount: r.like_count ?? 0,
    commentCount: r.comment_count ?? 0,
    createdAt: toIso(r.created_at)!,
  };
}

export function toAuthorView(r: AuthorRow): AuthorView {
  return { id: toId(r.id), username: r.username, displayName: r.display_name };
}
