import { describe, expect, it } from 'vitest';
import { ApiError } from '../../shared/api-errors.ts';
import { cursorFor, cursorKey, decodeCursor, encodeCursor, nextCursor, pagingModeOf } from './cursor.ts';
import { switchesFor } from '../../../core/index.ts';

function validationError(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  throw new Error('expected an ApiError');
}

describe('page cursors', () => {
  it('round-trips keyset and offset cursors through their opaque form', () => {
    expect(decodeCursor(encodeCursor({ kind: 'keyset', afterId: 123456789 }))).toEqual({ kind: 'keyset', afterId: 123456789 });
    expect(decodeCursor(encodeCursor({ kind: 'offset', offset: 40 }))).toEqual({ kind: 'offset', offset: 40 });
    expect(encodeCursor({ kind: 'keyset', afterId: 7 })).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it('refuses garbage with a 400 naming the cursor field', () => {
    for (const raw of ['not a cursor!', Buffer.from('{"k":-1}').toString('base64url'), Buffer.from('{"k":1,"o":2}').toString('base64url'), Buffer.from('[1]').toString('base64url'), 'AAAA']) {
      const err = validationError(() => decodeCursor(raw));
      expect(err.code).toBe('VALIDATION_FAILED');
      expect(err.status).toBe(400);
      expect(err.field).toBe('cursor');
    }
  });

  it('refuses a cursor minted under the other paging mode and says to start again', () => {
    const offsetCursor = encodeCursor({ kind: 'offset', offset: 20 });
    const err = validationError(() => cursorFor(offsetCursor, 'keyset'));
    expect(err.message).toBe('cursor: an offset cursor, but keyset paging is in force; start again from the first page');
    expect(cursorFor(offsetCursor, 'offset')).toEqual({ kind: 'offset', offset: 20 });
    expect(cursorFor(undefined, 'keyset')).toBeNull();
    expect(cursorFor('', 'keyset')).toBeNull();
  });

  it('follows the keyset-paging switch', () => {
    expect(pagingModeOf(switchesFor('optimized'))).toBe('keyset');
    expect(pagingModeOf(switchesFor('baseline'))).toBe('offset');
  });

  it('names the last row as the next keyset cursor, and none after a short page', () => {
    const rows = [{ id: 9 }, { id: 7 }, { id: 4 }];
    expect(decodeCursor(nextCursor('keyset', rows, 3, null)!)).toEqual({ kind: 'keyset', afterId: 4 });
    expect(nextCursor('keyset', rows, 4, null)).toBeNull();
    expect(nextCursor('keyset', [], 0, null)).toBeNull();
  });

  it('advances an offset cursor by the rows shown', () => {
    const rows = [{ id: 1 }, { id: 2 }];
    expect(decodeCursor(nextCursor('offset', rows, 2, null)!)).toEqual({ kind: 'offset', offset: 2 });
    expect(decodeCursor(nextCursor('offset', rows, 2, { kind: 'offset', offset: 10 })!)).toEqual({ kind: 'offset', offset: 12 });
  });

  it('gives each page, and the first page of each paging mode, a distinct cache-key segment', () => {
    expect(cursorKey(null, 'keyset')).toBe('head-k');
    expect(cursorKey(null, 'offset')).toBe('head-o');
    expect(cursorKey({ kind: 'keyset', afterId: 5 }, 'keyset')).toBe('k5');
    expect(cursorKey({ kind: 'offset', offset: 5 }, 'offset')).toBe('o5');
  });
});
