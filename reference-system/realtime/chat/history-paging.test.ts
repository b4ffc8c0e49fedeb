import { describe, expect, it } from 'vitest';
import { CursorError, decodeCursor, encodeCursor, historyPage, historyQuery, pageSize, type HistoryRow } from './history-paging.ts';

const limits = { defaultPageSize: 50, maxPageSize: 100 };

function row(id: number, text: string): HistoryRow {
  return { id: String(id), conversation_id: '3', sender_id: '9', body: `m${id}`, client_ts: null, created_at: new Date(text.replace(' ', 'T').replace(/\+00$/, 'Z')), created_at_text: text };
}

describe('history page size', () => {
  it('caps the requested size with keyset paging on', () => {
    expect(pageSize(5_000, true, limits)).toBe(100);
  });
  it('serves whatever was asked with keyset paging off (no maximum, as found)', () => {
    expect(pageSize(5_000, false, limits)).toBe(5_000);
  });
  it('uses the default when no limit is given', () => {
    expect(pageSize(undefined, true, limits)).toBe(50);
  });
});

describe('history queries', () => {
  it('asks for one row more than the page to know whether another page exists', () => {
    const q = historyQuery(3, undefined, 10, true, limits);
    expect(q.params).toEqual([3, 11]);
    expect(q.sql).toContain('ORDER BY created_at DESC, id DESC LIMIT $2');
  });

  it('continues after the cursor row by (created_at, id) with keyset paging', () => {
    const cursor = encodeCursor({ kind: 'keyset', createdAt: '2026-11-23 18:00:00.123456+00', id: 42 });
    const q = historyQuery(3, cursor, 10, true, limits);
    expect(q.sql).toContain('(created_at, id) < ($2::timestamptz, $3)');
    expect(q.params).toEqual([3, '2026-11-23 18:00:00.123456+00', 42, 11]);
  });

  it('uses OFFSET with keyset paging off', () => {
    const q = historyQuery(3, encodeCursor({ kind: 'offset', offset: 200 }), 10, false, limits);
    expect(q.sql).toContain('OFFSET $3');
    expect(q.params).toEqual([3, 11, 200]);
  });

  it('refuses a cursor from the other paging mode', () => {
    expect(() => historyQuery(3, encodeCursor({ kind: 'offset', offset: 5 }), 10, true, limits)).toThrow('cursor is from offset paging; start again without a cursor');
  });

  it.each(['not-base64-json', Buffer.from('["k","yesterday",1]').toString('base64url'), Buffer.from('["o",-1]').toString('base64url')])('refuses a forged cursor %s', (c) => {
    expect(() => decodeCursor(c)).toThrow(CursorError);
  });
});

describe('history pages', () => {
  it('returns the page and a keyset cursor on its last row when more rows exist', () => {
    const q = historyQuery(3, undefined, 2, true, limits);
    const page = historyPage([row(5, '2026-11-23 18:00:03.000001+00'), row(4, '2026-11-23 18:00:02.5+00'), row(3, '2026-11-23 18:00:01+00')], q, true, undefined);
    expect(page.messages.map((m) => m.id)).toEqual([5, 4]);
    expect(decodeCursor(page.nextCursor!)).toEqual({ kind: 'keyset', createdAt: '2026-11-23 18:00:02.5+00', id: 4 });
  });

  it('returns no cursor on the last page', () => {
    const q = historyQuery(3, undefined, 2, true, limits);
    expect(historyPage([row(1, '2026-11-23 18:00:01+00')], q, true, undefined).nextCursor).toBeNull();
  });

  it('advances the offset by the page length with keyset paging off', () => {
    const q = historyQuery(3, undefined, 2, false, limits);
    const page = historyPage([row(5, '2026-11-23 18:00:03+00'), row(4, '2026-11-23 18:00:02+00'), row(3, '2026-11-23 18:00:01+00')], q, false, { kind: 'offset', offset: 4 });
    expect(decodeCursor(page.nextCursor!)).toEqual({ kind: 'offset', offset: 6 });
  });
});
