import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { io as connectClient } from 'socket.io-client';
import { startChatInstance } from '../index.ts';
import { emitAck, nextEvent, openFixture, type Fixture } from '../int-test-fixture.ts';
import type { NewMessage, SendAck } from '../index.ts';
import { INSERT_BATCH } from './message-batcher.ts';

describe('chat instance', () => {
  let f: Fixture;
  let url: string;
  let alice: number, bob: number, carol: number;
  let conv: number;

  beforeAll(async () => {
    f = await openFixture(inject('stack'), 'chat', 'optimized');
    const chat = await startChatInstance(f.options());
    f.own(chat.stop);
    url = chat.url;
    [alice, bob, carol] = (await f.users(3)) as [number, number, number];
    conv = await f.conversation([alice, bob]);
  });
  afterAll(async () => f?.close());

  const storedCount = async (sql = 'SELECT count(*)::int AS n FROM messages WHERE conversation_id = $1', params: unknown[] = [conv]) =>
    (await f.pool.query<{ n: number }>(sql, params)).rows[0]!.n;

  it('acks a stored message with its id and timestamp and delivers it to the other member', async () => {
    const a = await f.client(url, alice);
    const b = await f.client(url, bob);
    const received = nextEvent<NewMessage>(b, 'message:new', 5_000);
    const clientTs = Date.now();
    const ack = await emitAck<SendAck>(a, 'message:send', { conversationId: conv, body: 'hello bob', clientTs });
    expect(ack).toMatchObject({ ok: true });
    if (!ack.ok) return;
    const row = (await f.pool.query('SELECT sender_id, body, client_ts, created_at FROM messages WHERE id = $1', [ack.id])).rows[0];
    expect(row).toMatchObject({ sender_id: String(alice), body: 'hello bob', client_ts: String(clientTs) });
    expect(new Date(ack.createdAt).getTime()).toBe(new Date(row.created_at).getTime());
    expect(await received).toEqual({ id: ack.id, conversationId: conv, senderId: alice, body: 'hello bob', createdAt: ack.createdAt, clientTs });

    const reply = nextEvent<NewMessage>(a, 'message:new', 5_000);
    const ack2 = await emitAck<SendAck>(b, 'message:send', { conversationId: conv, body: 'hi alice', clientTs: Date.now() });
    expect(ack2.ok).toBe(true);
    expect((await reply)?.body).toBe('hi alice');
    a.disconnect();
    b.disconnect();
  });

  it('stores messages sent at once from many members in shared INSERTs, each acked with its own row (chat-batched-inserts)', async () => {
    const members = (await f.users(8)) as number[];
    const room = await f.conversation(members);
    const sockets = await Promise.all(members.map((u) => f.client(url, u)));
    const batchCalls = async () =>
      (await f.pool.query<{ n: number }>(`SELECT coalesce(sum(s.calls), 0)::int AS n FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = current_database() AND s.query = $1`, [INSERT_BATCH])).rows[0]!.n;
    const before = await batchCalls();
    try {
      const acks = await Promise.all(sockets.flatMap((s, i) => Array.from({ length: 5 }, (_, k) => emitAck<SendAck>(s, 'message:send', { conversationId: room, body: `b${i}-${k}`, clientTs: i * 10 + k }))));
      expect(acks.filter((a) => !a.ok)).toEqual([]);
      const ids = acks.map((a) => (a.ok ? a.id : 0));
      expect(new Set(ids).size).toBe(40);
      // Every ack names the row holding that very message.
      const rows = (await f.pool.query<{ id: string; sender_id: string; body: string; client_ts: string }>('SELECT id, sender_id, body, client_ts FROM messages WHERE conversation_id = $1', [room])).rows;
      const byId = new Map(rows.map((r) => [Number(r.id), r]));
      sockets.forEach((_, i) => {
        for (let k = 0; k < 5; k++) {
          const row = byId.get(ids[i * 5 + k]!);
          expect(row).toMatchObject({ sender_id: String(members[i]), body: `b${i}-${k}`, client_ts: String(i * 10 + k) });
        }
      });
      // Postgres ran the multi-row statement (how many rows share one is proven in message-batcher.test.ts).
      expect((await batchCalls()) - before).toBeGreaterThan(0);
    } finally {
      for (const s of sockets) s.disconnect();
    }
  });

  it('refuses a connection without a valid token', async () => {
    for (const auth of [{}, { token: 'not-a-jwt' }]) {
      const s = connectClient(url, { auth, transports: ['websocket'], reconnection: false, forceNew: true });
      const err = await new Promise<Error>((resolve) => s.once('connect_error', resolve));
      expect(err.message).toBe('unauthorized');
      s.disconnect();
    }
  });

  it('refuses a non-member with not_a_member, stores nothing, and keeps the connection', async () => {
    const c = await f.client(url, carol);
    const before = await storedCount();
    const ack = await emitAck<SendAck>(c, 'message:send', { conversationId: conv, body: 'let me in', clientTs: Date.now() });
    expect(ack).toEqual({ ok: false, error: 'not_a_member', message: `you are not a member of conversation ${conv}` });
    const unknown = await emitAck<SendAck>(c, 'message:send', { conversationId: 999_999, body: 'x' });
    expect(unknown).toEqual({ ok: false, error: 'conversation_not_found', message: 'conversation 999999 does not exist' });
    expect(await storedCount()).toBe(before);
    expect(c.connected).toBe(true);
    c.disconnect();
  });

  it('answers malformed and oversized events with an error ack, stores nothing, keeps the connection', async () => {
    const a = await f.client(url, alice);
    const before = await storedCount();
    const oversized = await emitAck<SendAck>(a, 'message:send', { conversationId: conv, body: 'x'.repeat(2_001), clientTs: 1 });
    expect(oversized).toEqual({ ok: false, error: 'body_too_long', message: 'body is longer than 2000 characters' });
    for (const bad of ['just a string', null, { conversationId: 'one', body: 'x' }, { conversationId: conv }]) {
      const ack = await emitAck<SendAck>(a, 'message:send', bad);
      expect(ack.ok === false && ack.error).toBe('invalid_payload');
    }
    expect(await emitAck<SendAck>(a, 'message:send', { conversationId: conv, body: '' })).toMatchObject({ ok: false, error: 'body_empty' });
    expect(await storedCount()).toBe(before);
    expect(a.connected).toBe(true);
    expect((await emitAck<SendAck>(a, 'message:send', { conversationId: conv, body: 'still here' })).ok).toBe(true);
    a.disconnect();
  });

  it('refuses the 61st message in a minute with rate_limited', async () => {
    const [dave, erin] = (await f.users(2)) as [number, number];
    const c2 = await f.conversation([dave, erin]);
    const d = await f.client(url, dave);
    const acks: SendAck[] = [];
    for (let i = 1; i <= 61; i++) acks.push(await emitAck<SendAck>(d, 'message:send', { conversationId: c2, body: `m${i}`, clientTs: Date.now() }));
    expect(acks.slice(0, 60).every((a) => a.ok)).toBe(true);
    expect(acks[60]).toEqual({ ok: false, error: 'rate_limited', message: 'more than the allowed messages per minute; retry later' });
    expect(await storedCount(undefined, [c2])).toBe(60);
    expect(d.connected).toBe(true);
    d.disconnect();
  });
});

describe('chat HTTP API', () => {
  let f: Fixture;
  let url: string;
  let alice: number, bob: number, carol: number;

  beforeAll(async () => {
    f = await openFixture(inject('stack'), 'chat_http', 'optimized', { historyMaxPageSize: 20, historyDefaultPageSize: 10 });
    const chat = await startChatInstance(f.options());
    f.own(chat.stop);
    url = chat.url;
    [alice, bob, carol] = (await f.users(3)) as [number, number, number];
  });
  afterAll(async () => f?.close());

  const post = (path: string, user: number | null, body: unknown) =>
    fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(user ? { 'x-user-id': String(user) } : {}) }, body: JSON.stringify(body) });
  const get = (path: string, user: number | null) => fetch(`${url}${path}`, { headers: user ? { 'x-user-id': String(user) } : {} });

  it('creates a conversation with the caller as a member, and refuses members that do not exist', async () => {
    const res = await post('/api/conversations', alice, { memberIds: [bob] });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: number };
    const members = (await f.pool.query('SELECT user_id FROM conversation_members WHERE conversation_id = $1 ORDER BY user_id', [id])).rows.map((r) => Number(r.user_id));
    expect(members).toEqual([alice, bob].sort((x, y) => x - y));

    const missing = await post('/api/conversations', alice, { memberIds: [bob, 9_999_999] });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: { code: 'NOT_FOUND', message: 'users not found: 9999999', field: 'memberIds' } });
    expect((await post('/api/conversations', alice, { memberIds: [] })).status).toBe(400);
  });

  it('refuses a request without the caller header', async () => {
    const res = await post('/api/conversations', null, { memberIds: [bob] });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('UNAUTHENTICATED');
  });

  it('pages history newest first with a capped page size and a keyset cursor, members only', async () => {
    const { id } = (await (await post('/api/conversations', alice, { memberIds: [bob] })).json()) as { id: number };
    const a = await f.client(url, alice);
    const sent: number[] = [];
    for (let i = 0; i < 25; i++) {
      const ack = await emitAck<SendAck>(a, 'message:send', { conversationId: id, body: `n${i}` });
      if (ack.ok) sent.push(ack.id);
    }
    a.disconnect();
    const seen: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await get(`/api/conversations/${id}/messages?limit=1000${cursor ? `&cursor=${cursor}` : ''}`, bob);
      expect(res.status).toBe(200);
      const page = (await res.json()) as { messages: { id: number }[]; nextCursor: string | null };
      expect(page.messages.length).toBeLessThanOrEqual(20);
      seen.push(...page.messages.map((m) => m.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(2);
    expect(seen).toEqual([...sent].reverse());

    const forbidden = await get(`/api/conversations/${id}/messages`, carol);
    expect(forbidden.status).toBe(403);
    expect((await get(`/api/conversations/${id}/messages?cursor=garbage`, bob)).status).toBe(400);
  });

  it('reports health, readiness and realtime metrics', async () => {
    expect((await get('/health', null)).status).toBe(200);
    const ready = await get('/health/ready', null);
    expect(await ready.json()).toMatchObject({ ready: true, checks: { postgres: true, redis: true, rabbitmq: true } });
    const metrics = await (await get('/metrics', null)).text();
    for (const name of ['brink_chat_connected_sockets', 'brink_chat_messages_total', 'brink_chat_message_ack_seconds_bucket', 'brink_chat_messages_per_second']) expect(metrics).toContain(name);
  });
});
