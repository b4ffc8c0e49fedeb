import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startChatInstance, type ChatInstance } from '../index.ts';
import { eventually, openFixture, type Fixture } from '../int-test-fixture.ts';

const stack = inject('stack');

describe('presence', () => {
  let f: Fixture;
  let chat: ChatInstance;
  const status = async (id: number) => (await f.pool.query<{ status: string; last_seen_at: Date | null }>('SELECT status, last_seen_at FROM users WHERE id = $1', [id])).rows[0]!;
  const events = async (id: number) => (await f.pool.query<{ status: string }>('SELECT status FROM presence_events WHERE user_id = $1 ORDER BY id', [id])).rows.map((r) => r.status);

  beforeAll(async () => {
    // The timer is far away so the test decides when a flush happens (flushPresence()).
    f = await openFixture(stack, 'presence', 'optimized', { presenceFlushIntervalMs: 3_600_000 });
    chat = await startChatInstance(f.options());
    f.own(chat.stop);
  });
  afterAll(async () => f?.close());

  it('writes each change to Postgres at once with presence-batching off, as found', async () => {
    f.switches['presence-batching'] = false;
    const [u] = (await f.users(1)) as [number];
    const s = await f.client(chat.url, u);
    await eventually(async () => (await status(u)).status === 'online', 5_000, 'online written');
    s.disconnect();
    await eventually(async () => (await status(u)).status === 'offline', 5_000, 'offline written');
    expect(await events(u)).toEqual(['online', 'offline']);
  });

  it('keeps changes in Redis and persists them in one batch per flush with it on', async () => {
    f.switches['presence-batching'] = true;
    const users = await f.users(3);
    const sockets = await Promise.all(users.map((u) => f.client(chat.url, u)));
    expect((await Promise.all(users.map(status))).map((s) => s.status)).toEqual(['offline', 'offline', 'offline']);
    expect(await chat.flushPresence()).toBe(3);
    const after = await Promise.all(users.map(status));
    expect(after.map((s) => s.status)).toEqual(['online', 'online', 'online']);
    expect(after.every((s) => s.last_seen_at !== null)).toBe(true);
    for (const u of users) expect(await events(u)).toEqual([]);
    // Nothing changed since: the next flush writes nothing.
    expect(await chat.flushPresence()).toBe(0);
    sockets[0]!.disconnect();
    await eventually(async () => (await chat.flushPresence()) === 1, 5_000, 'offline change flushed');
    expect((await status(users[0]!)).status).toBe('offline');
  });
});

describe('presence flusher', () => {
  let f: Fixture;
  afterAll(async () => f?.close());

  it('flushes on its own timer', async () => {
    f = await openFixture(stack, 'presence_timer', 'optimized', { presenceFlushIntervalMs: 500 });
    const chat = await startChatInstance(f.options());
    f.own(chat.stop);
    const [u] = (await f.users(1)) as [number];
    await f.client(chat.url, u);
    await eventually(async () => (await f.pool.query('SELECT status FROM users WHERE id = $1', [u])).rows[0]?.status === 'online', 10_000, 'timer flush');
  });
});
