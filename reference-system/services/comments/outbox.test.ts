import { describe, expect, it } from 'vitest';
import type { DomainEvent, ServiceContext } from '../../shared/context.ts';
import { nextBackoff, OUTBOX_SQL, startOutboxRelay, type OutboxEvent } from './outbox.ts';

/** An in-memory comment_outbox behind the statements outbox.ts runs, and a broker that can be down. */
function fakeContext(opts: { rows: number; switchOn?: boolean }) {
  const rows = Array.from({ length: opts.rows }, (_, i) => ({ id: String(i + 1), event: { id: `comment.created:${i + 1}`, type: 'comment.created', recipients: [7], payload: { commentId: i + 1 } } as OutboxEvent, sentAt: undefined as number | undefined, attempts: 0 }));
  const broker = { up: false, published: [] as string[], refused: 0 };
  const claims: number[] = [];
  const query = async (_name: string, sql: string, params: readonly unknown[] = []): Promise<unknown[]> => {
    if (sql === OUTBOX_SQL.claim_batch) {
      claims.push(Number(params[0]));
      return rows.filter((r) => r.sentAt === undefined).slice(0, Number(params[0])).map((r) => ({ id: r.id, event: r.event }));
    }
    if (sql === OUTBOX_SQL.claim_one) return rows.filter((r) => r.id === String(params[0]) && r.sentAt === undefined).map((r) => ({ id: r.id, event: r.event }));
    if (sql === OUTBOX_SQL.mark_sent) {
      for (const r of rows) if ((params[0] as string[]).includes(r.id)) (r.sentAt = Date.now()), r.attempts++;
      return [];
    }
    if (sql === OUTBOX_SQL.mark_attempt) {
      rows.find((r) => r.id === String(params[0]))!.attempts++;
      return [];
    }
    throw new Error(`unexpected statement ${sql}`);
  };
  const db = { query, transaction: async <T>(fn: (tx: { query: typeof query }) => Promise<T>) => fn({ query }) };
  const ctx = {
    service: 'comments',
    switches: { 'comments-outbox': opts.switchOn ?? true },
    db: { forModule: () => db },
    log: { warn: () => undefined, info: () => undefined },
    publish: async (e: DomainEvent & { id?: string }) => {
      if (!broker.up) {
        broker.refused++;
        throw new Error('connect ECONNREFUSED');
      }
      broker.published.push(e.id!);
    },
  } as unknown as ServiceContext;
  return { ctx, rows, broker, claims };
}

const until = async (cond: () => boolean, ms = 5_000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe('the comments outbox relay', () => {
  it('while the broker refuses nothing is marked sent and the pause doubles; once it is back every row goes out, in order, in bounded batches', async () => {
    const { ctx, rows, broker, claims } = fakeContext({ rows: 120 });
    const relay = startOutboxRelay(ctx, { batchSize: 50, idleMs: 5, backoffMs: 10, maxBackoffMs: 80 });
    try {
      const t0 = Date.now();
      await new Promise((r) => setTimeout(r, 400));
      // Backoff 10, 20, 40, 80, 80...: about 7 attempts in 400 ms, not one every 5 ms (80).
      expect(broker.refused).toBeGreaterThanOrEqual(3);
      expect(broker.refused).toBeLessThanOrEqual(12);
      expect(rows.every((r) => r.sentAt === undefined)).toBe(true);
      expect(rows[0]!.attempts).toBe(broker.refused); // the first row is retried, the others wait behind it
      broker.up = true;
      await until(() => rows.every((r) => r.sentAt !== undefined));
      expect(broker.published).toEqual(rows.map((r) => r.event.id));
      expect(new Set(claims)).toEqual(new Set([50]));
      expect(relay.counts.published).toBe(120);
      expect(Date.now() - t0).toBeLessThan(5_000);
    } finally {
      await relay.stop();
    }
  });

  it('publishNow sends the one row and marks it; false while the broker is down, and the relay sends it later', async () => {
    const { ctx, rows, broker } = fakeContext({ rows: 2 });
    const relay = startOutboxRelay(ctx, { idleMs: 60_000, backoffMs: 10, maxBackoffMs: 20 });
    try {
      expect(await relay.publishNow(1)).toBe(false);
      expect(rows[0]!.sentAt).toBeUndefined();
      broker.up = true;
      expect(await relay.publishNow(1)).toBe(true);
      expect(rows[0]!.sentAt).toBeDefined();
      expect(await relay.publishNow(1)).toBe(false); // already sent: nothing claimed, nothing published twice
      relay.kick();
      await until(() => rows[1]!.sentAt !== undefined);
      expect(broker.published).toEqual(['comment.created:1', 'comment.created:2']);
    } finally {
      await relay.stop();
    }
  });

  it('idles while the switch is off and stops cleanly', async () => {
    const { ctx, broker, claims } = fakeContext({ rows: 3, switchOn: false });
    broker.up = true;
    const relay = startOutboxRelay(ctx, { idleMs: 5 });
    await new Promise((r) => setTimeout(r, 60));
    await relay.stop();
    expect(claims).toEqual([]);
    expect(broker.published).toEqual([]);
  });
});

describe('the relay backoff', () => {
  it('starts at backoffMs after a success and doubles up to maxBackoffMs', () => {
    const timing = { backoffMs: 500, maxBackoffMs: 3_000 };
    const pauses: number[] = [];
    let p = 0;
    for (let i = 0; i < 5; i++) pauses.push((p = nextBackoff(p, timing)));
    expect(pauses).toEqual([500, 1_000, 2_000, 3_000, 3_000]);
  });
});
