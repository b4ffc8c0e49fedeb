import { describe, expect, it } from 'vitest';
import type { Db } from '../../shared/context.ts';
import { INSERT_BATCH, INSERT_ONE, MessageBatcher } from './message-batcher.ts';

/** A Db that numbers rows from a sequence and answers a batch's rows in reverse (RETURNING order is not promised). */
function fakeDb(opts: { failBatch?: boolean; failBody?: string } = {}) {
  let seq = 100;
  const calls: { name: string; rows: number }[] = [];
  const db: Db = {
    async query(name, sql, params = []) {
      if (sql === INSERT_BATCH) {
        const bodies = params[2] as string[];
        calls.push({ name, rows: bodies.length });
        if (opts.failBatch) throw new Error('batch failed');
        return bodies.map(() => ({ id: String(seq++), created_at: new Date(0) })).reverse() as never;
      }
      if (sql === INSERT_ONE) {
        calls.push({ name, rows: 1 });
        if (params[2] === opts.failBody) throw new Error('row failed');
        return [{ id: String(seq++), created_at: new Date(0) }] as never;
      }
      throw new Error(`unexpected SQL ${sql}`);
    },
    transaction: async () => {
      throw new Error('not used');
    },
  };
  return { db, calls };
}

const row = (i: number) => ({ conversationId: 1, senderId: i, body: `m${i}`, clientTs: null });

describe('MessageBatcher', () => {
  it('stores messages sent together with one INSERT and gives each caller its own id, in order', async () => {
    const { db, calls } = fakeDb();
    const b = new MessageBatcher(db, { maxDelayMs: 5, maxRows: 100 });
    const stored = await Promise.all(Array.from({ length: 30 }, (_, i) => b.insert(row(i))));
    expect(calls).toEqual([{ name: 'insert_messages_batch', rows: 30 }]);
    expect(stored.map((s) => Number(s.id))).toEqual(Array.from({ length: 30 }, (_, i) => 100 + i));
  });

  it('cuts batches at maxRows', async () => {
    const { db, calls } = fakeDb();
    const b = new MessageBatcher(db, { maxDelayMs: 50, maxRows: 10 });
    await Promise.all(Array.from({ length: 25 }, (_, i) => b.insert(row(i))));
    expect(calls.map((c) => c.rows)).toEqual([10, 10, 5]);
  });

  it('retries a failed batch row by row, so only the bad row fails', async () => {
    const { db, calls } = fakeDb({ failBatch: true, failBody: 'm2' });
    const b = new MessageBatcher(db, { maxDelayMs: 1, maxRows: 100 });
    const results = await Promise.allSettled(Array.from({ length: 4 }, (_, i) => b.insert(row(i))));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect(calls.filter((c) => c.name === 'insert_message')).toHaveLength(4);
  });
});
