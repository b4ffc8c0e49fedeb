/**
 * Message history pages, as pure functions (SQL text, cursors, limits) so tests can feed them.
 * `keyset-paging` on (CP-3): the page size is capped and the cursor is the last row's
 * (created_at, id), so page N costs the same as page 1 with the (conversation_id, created_at DESC)
 * index. Off, as found: no cap, and the cursor is an OFFSET, so Postgres reads and drops every
 * earlier row.
 */
export interface HistoryQuery {
  sql: string;
  params: unknown[];
  limit: number;
}

export interface PagingLimits {
  defaultPageSize: number;
  maxPageSize: number;
}

export type KeysetCursor = { kind: 'keyset'; createdAt: string; id: number };
export type OffsetCursor = { kind: 'offset'; offset: number };

const COLUMNS = `id, conversation_id, sender_id, body, client_ts, created_at, created_at::text AS created_at_text`;

export class CursorError extends Error {}

/** Postgres' ISO text form of a timestamptz (microseconds kept, unlike a JS Date). */
const TIMESTAMP_TEXT = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?([+-]\d{2}(:?\d{2})?|Z)?$/;

export function encodeCursor(c: KeysetCursor | OffsetCursor): string {
  return Buffer.from(JSON.stringify(c.kind === 'keyset' ? ['k', c.createdAt, c.id] : ['o', c.offset])).toString('base64url');
}

export function decodeCursor(s: string): KeysetCursor | OffsetCursor {
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(s, 'base64url').toString('utf8'));
  } catch {
    throw new CursorError('cursor is not one this API returned');
  }
  if (Array.isArray(v) && v[0] === 'k' && typeof v[1] === 'string' && TIMESTAMP_TEXT.test(v[1]) && Number.isSafeInteger(v[2]) && v[2] > 0) {
    return { kind: 'keyset', createdAt: v[1], id: v[2] };
  }
  if (Array.isArray(v) && v[0] === 'o' && Number.isSafeInteger(v[1]) && v[1] >= 0) return { kind: 'offset', offset: v[1] };
  throw new CursorError('cursor is not one this API returned');
}

/** The page size actually used: default when absent; capped only with keyset paging on. */
export function pageSize(requested: number | undefined, keyset: boolean, limits: PagingLimits): number {
  const n = requested ?? limits.defaultPageSize;
  return keyset ? Math.min(n, limits.maxPageSize) : n;
}

export function historyQuery(conversationId: number, cursor: string | undefined, requestedLimit: number | undefined, keyset: boolean, limits: PagingLimits): HistoryQuery {
  const limit = pageSize(requestedLimit, keyset, limits);
  const c = cursor ? decodeCursor(cursor) : undefined;
  // One extra row tells whether another page exists without a COUNT.
  if (keyset) {
    if (c && c.kind !== 'keyset') throw new CursorError('cursor is from offset paging; start again without a cursor');
    if (!c) {
      return { sql: `SELECT ${COLUMNS} FROM messages WHERE conversation_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2`, params: [conversationId, limit + 1], limit };
    }
    return {
      sql: `SELECT ${COLUMNS} FROM messages WHERE conversation_id = $1 AND (created_at, id) < ($2::timestamptz, $3) ORDER BY created_at DESC, id DESC LIMIT $4`,
      params: [conversationId, c.createdAt, c.id, limit + 1],
      limit,
    };
  }
  if (c && c.kind !== 'offset') throw new CursorError('cursor is from keyset paging; start again without a cursor');
  const offset = c?.offset ?? 0;
  return { sql: `SELECT ${COLUMNS} FROM messages WHERE conversation_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3`, params: [conversationId, limit + 1, offset], limit };
}

export interface HistoryRow {
  id: string | number;
  conversation_id: string | number;
  sender_id: string | number;
  body: string;
  client_ts: string | number | null;
  created_at: Date;
  created_at_text: string;
}

export interface HistoryMessage {
  id: number;
  conversationId: number;
  senderId: number;
  body: string;
  clientTs: number | null;
  createdAt: string;
}

export function historyPage(rows: HistoryRow[], q: HistoryQuery, keyset: boolean, previous: OffsetCursor | undefined): { messages: HistoryMessage[]; nextCursor: string | null } {
  const page = rows.slice(0, q.limit);
  const more = rows.length > q.limit;
  const last = page[page.length - 1];
  let nextCursor: string | null = null;
  if (more && last) {
    nextCursor = keyset ? encodeCursor({ kind: 'keyset', createdAt: last.created_at_text, id: Number(last.id) }) : encodeCursor({ kind: 'offset', offset: (previous?.offset ?? 0) + page.length });
  }
  return {
    messages: page.map((r) => ({
      id: Number(r.id),
      conversationId: Number(r.conversation_id),
      senderId: Number(r.sender_id),
      body: r.body,
      clientTs: r.client_ts === null ? null : Number(r.client_ts),
      createdAt: r.created_at.toISOString(),
    })),
    nextCursor,
  };
}
