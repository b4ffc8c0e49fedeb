import { describe, expect, it } from 'vitest';
import { flushRows, presenceKeys } from './presence-flush.ts';
import { SocketCounts } from './socket-counts.ts';

describe('presence parts', () => {
  it('changes status only on the first connect and the last disconnect', () => {
    const c = new SocketCounts();
    expect([c.connected(7), c.connected(7), c.connected(8)]).toEqual([true, false, true]);
    expect([c.disconnected(7), c.disconnected(7), c.disconnected(8)]).toEqual([false, true, true]);
    expect(c.connected(7)).toBe(true); // counted from zero again
  });

  it('treats a disconnect of a user it never saw as going offline', () => {
    expect(new SocketCounts().disconnected(9)).toBe(true);
  });

  it('turns popped ids and their hash values into the UPDATE arrays, skipping ids without a value', () => {
    const rows = flushRows(['3', '4', '5'], [JSON.stringify({ status: 'online', atMs: 0 }), null, JSON.stringify({ status: 'offline', atMs: 1_000 })]);
    expect(rows).toEqual({ userIds: [3, 5], statuses: ['online', 'offline'], seenAt: ['1970-01-01T00:00:00.000Z', '1970-01-01T00:00:01.000Z'] });
  });

  it('keys presence by the per-database prefix', () => {
    expect(presenceKeys('rt:brink_t1:')).toEqual({ status: 'rt:brink_t1:presence:status', dirty: 'rt:brink_t1:presence:dirty' });
  });
});
