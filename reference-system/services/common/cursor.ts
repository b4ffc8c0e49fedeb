/**
 * Page cursors. With `keyset-paging` on, a cursor names the last row shown and the next page starts
 * strictly after it on (created_at, id); the row's exact created_at is looked up by id in SQL, so
 * microsecond timestamps survive (a JS Date would truncate them to milliseconds and skip rows).
 * With it off, the cursor is an OFFSET, as the baseline paged: cost grows with the page number.
 * Cursors are opaque to clients (base64url JSON) so the representation can change.
 */
import { ApiError } from '../../shared/api-errors.ts';
import type { Switches } from '../../../core/index.ts';

export type PagingMode = 'keyset' | 'offset';

export type PageCursor = { kind: 'keyset'; afterId: number } | { kind: 'offset'; offset: number };

export function pagingModeOf(switches: Readonly<Switches>): PagingMode {
  return switches['keyset-paging'] ? 'keyset' : 'offset';
}

export function encodeCursor(c: PageCursor): string {
  const json = c.kind === 'keyset' ? { k: c.afterId } : { o: c.offset };
  return Buffer.from(JSON.stringify(json), 'utf8').toString('base64url');
}

const MAX_OFFSET = 1_000_000;

function badCursor(reason: string): ApiError {
  return new ApiError('VALIDATION_FAILED', `cursor: ${reason}`, 'cursor');
}

/** Decodes a client's cursor; 400 naming `cursor` if it is malformed. */
export function decodeCursor(raw: string): PageCursor {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(raw)) throw badCursor('not a cursor returned by this API');
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    throw badCursor('not a cursor returned by this API');
  }
  if (typeof parsed === 'object' && parsed !== null) {
    const o = parsed as Record<string, unknown>;
    if (Object.keys(o).length === 1 && isNonNegativeInt(o.k) && (o.k as number) > 0) return { kind: 'keyset', afterId: o.k as number };
    if (Object.keys(o).length === 1 && isNonNegativeInt(o.o) && (o.o as number) <= MAX_OFFSET) return { kind: 'offset', offset: o.o as number };
  }
  throw badCursor('not a cursor returned by this API');
}

function isNonNegativeInt(v: unknown): boolean {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

/**
 * The cursor to use under the paging mode now in force. A cursor minted under the other mode (the
 * switch was flipped between two pages) is refused with a 400 that says to start again.
 */
export function cursorFor(raw: string | undefined, mode: PagingMode): PageCursor | null {
  if (raw === undefined || raw === '') return null;
  const c = decodeCursor(raw);
  if (c.kind !== mode) throw badCursor(`${c.kind === 'offset' ? 'an offset' : 'a keyset'} cursor, but ${mode} paging is in force; start again from the first page`);
  return c;
}

/** The cursor of the page after `rows`, or null when this page was the last (fewer rows than asked). */
export function nextCursor(mode: PagingMode, rows: readonly { id: number }[], limit: number, current: PageCursor | null): string | null {
  if (rows.length < limit || rows.length === 0) return null;
  if (mode === 'keyset') return encodeCursor({ kind: 'keyset', afterId: rows[rows.length - 1]!.id });
  const offset = current?.kind === 'offset' ? current.offset : 0;
  return encodeCursor({ kind: 'offset', offset: offset + rows.length });
}

/**
 * A stable cache-key segment for a page. The first page's key names the paging mode, because the
 * cached page carries a next cursor of that mode: after the switch flips, the other mode's copy
 * would hand out a cursor the API then refuses.
 */
export function cursorKey(c: PageCursor | null, mode: PagingMode): string {
  if (c === null) return mode === 'keyset' ? 'head-k' : 'head-o';
  return c.kind === 'keyset' ? `k${c.afterId}` : `o${c.offset}`;
}
