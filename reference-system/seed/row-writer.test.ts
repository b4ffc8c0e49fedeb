import { describe, expect, it } from 'vitest';
import { createRng } from './prng.ts';
import { RowWriter } from './row-writer.ts';

describe('RowWriter', () => {
  it('writes timestamps exactly as Date#toISOString does', () => {
    const rng = createRng(2);
    const fixed = [0, 951_782_400_000 /* 2000-02-29 */, 4_107_542_399_999 /* 2100-02-28T23:59:59.999 */, 1_700_000_000_123, 1_582_934_400_000];
    const random = Array.from({ length: 2000 }, () => Math.floor(rng.float() * 4_102_444_800_000));
    const mismatches = [...fixed, ...random].filter((ms) => {
      const w = new RowWriter(1024, 64);
      w.iso(ms);
      return w.toString() !== new Date(ms).toISOString();
    });
    expect(mismatches).toEqual([]);
  });

  it('writes integers as String() does', () => {
    const values = [0, 7, 10, 99, 100, 12345, 2 ** 31, 2 ** 32 + 5, Number.MAX_SAFE_INTEGER];
    for (const v of values) {
      const w = new RowWriter(1024, 64);
      w.int(v);
      expect(w.toString()).toBe(String(v));
    }
  });

  it('writes COPY text rows with tabs, \\N for NULL and a newline, and flushes full chunks between rows', () => {
    const w = new RowWriter(20, 100);
    w.int(1);
    w.tab();
    w.str('hello');
    w.tab();
    w.nul();
    expect(w.end()).toBeUndefined();
    w.int(2);
    w.tab();
    w.str('a longer row that fills the chunk');
    const chunk = w.end();
    expect(chunk?.toString('latin1')).toBe('1\thello\t\\N\n2\ta longer row that fills the chunk\n');
    expect(w.rows).toBe(2);
    expect(w.rest()).toBeUndefined();
    w.int(3);
    w.end();
    expect(w.rest()?.toString('latin1')).toBe('3\n');
  });

  it('refuses a row longer than its room', () => {
    const w = new RowWriter(10, 10);
    w.str('x'.repeat(25));
    expect(() => w.end()).toThrow('a generated row exceeded 10 bytes');
  });
});
