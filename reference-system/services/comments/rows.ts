/** Comment rows as pg returns them and the JSON view the API answers with. */
import { toId, toIso, type PgId, type PgTime } from '../common/rows.ts';

export interface CommentRow {
  id: PgId;
  post_id: PgId;
  author_id: PgId;
  body: string;
  created_at: PgTime;
}

export interface CommentView {
  id: number;
  postId: number;
  authorId: number;
  body: string;
  createdAt: string;
}

export function toCommentView(r: CommentRow): CommentView {
  return { id: toId(r.id), postId: toId(r.post_id), authorId: toId(r.author_id), body: r.body, createdAt: toIso(r.created_at)! };
}
