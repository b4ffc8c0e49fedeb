/**
 * No acknowledged message lost (issue 18): chat and notification load on the real stack while
 * RabbitMQ is restarted (the broker application stopped and started: every connection dropped)
 * and Redis is cut (its Toxiproxy proxy disabled) and then frozen (the redis-server process
 * stopped with SIGSTOP and started again with SIGCONT).
 *
 * Load: members of seeded conversations send chat messages over Socket.IO (acknowledged once
 * stored) while other members listen; commenters comment on a post whose author listens for
 * `notification` pushes (a comment is acknowledged with eventPublished once RabbitMQ confirmed its
 * event). Counted, per message: acknowledged to the sender, stored (a row in Postgres), and
 * delivered (the recipient's socket got it). The goal, asserted: zero acknowledged chat messages
 * missing from Postgres, and zero acknowledged comment events without their stored notification.
 * The platform is optimized, so `comments-outbox` is on: a comment accepted while RabbitMQ is down
 * answers eventQueued instead of eventPublished, and must be notified all the same once the broker
 * is back (asserted too: every accepted comment has its stored notification).
 * Live deliveries (message:new, notification pushes) are counted and printed: a push is
 * fire-and-forget by design (the stored row is the record), so its count is reported, not gated.
 */
import { request } from 'undici';
import { io as connectSocket, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { ToxiproxyClient } from '../../stack/index.ts';
import { openChaosPlatform, type ChaosPlatform } from '../../chaos/testing/platform-fixture.ts';
import { freezeProcess, restartRabbitMq } from '../../chaos/testing/process-faults.ts';
import { sql } from '../../chaos/experiments/common.ts';
import { signAccessToken } from '../shared/tokens.ts';

const base = inject('stack');
const toxiproxy = new ToxiproxyClient(base.urls.toxiproxy);
let t: ChaosPlatform;
const sockets: Socket[] = [];

beforeAll(async () => {
  t = await openChaosPlatform(base, 'lost', 'optimized', { realtime: true });
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await toxiproxy.setEnabled('redis', true).catch(() => undefined);
  await t?.close();
});

const CONVERSATIONS = 6;
const COMMENTERS = 8;
const SEND_EVERY_MS = 400;
const LOAD_MS = 36_000;
const DRAIN_MS = 25_000;

function connect(token: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    // Reconnects on: a client rides out the outage the way a real one does.
    const s = connectSocket(t.stack.platform!.services.gateway!, { transports: ['websocket'], auth: { token }, reconnectionDelay: 200, reconnectionDelayMax: 1000, timeout: 10_000 });
    sockets.push(s);
    s.once('connect', () => resolve(s));
    s.once('connect_error', (e) => reject(e));
  });
}

it('across a RabbitMQ restart, a Redis cut and a Redis freeze under load, no acknowledged message is lost', async () => {
  const secret = t.stack.platform!.jwtSecret;
  const gateway = t.stack.platform!.services.gateway!;
  // Two members of each of a few seeded conversations: one sends, the other listens.
  const pairs = await sql<{ conversation_id: number; sender: number; listener: number }>(
    t.stack,
    `SELECT conversation_id, min(user_id) AS sender, max(user_id) AS listener FROM conversation_members
     GROUP BY conversation_id HAVING count(*) = 2 ORDER BY conversation_id LIMIT $1`,
    [CONVERSATIONS],
  );
  expect(pairs.length).toBe(CONVERSATIONS);
  const [post] = await sql<{ id: number; user_id: number }>(t.stack, 'SELECT id, user_id FROM posts WHERE deleted_at IS NULL ORDER BY id LIMIT 1');
  const commenters = await sql<{ id: number }>(t.stack, 'SELECT id FROM users WHERE id <> $1 ORDER BY id DESC LIMIT $2', [post!.user_id, COMMENTERS]);

  const delivered = new Set<string>();
  const pushed = new Set<number>();
  const senders: { conversationId: number; socket: Socket }[] = [];
  for (const p of pairs) {
    const listener = await connect(await signAccessToken(secret, Number(p.listener)));
    listener.on('message:new', (m: { body?: string }) => m.body && delivered.add(m.body));
    senders.push({ conversationId: Number(p.conversation_id), socket: await connect(await signAccessToken(secret, Number(p.sender))) });
  }
  const author = await connect(await signAccessToken(secret, Number(post!.user_id)));
  author.on('notification', (n: { kind: string; payload: { commentId?: number } }) => {
    if (n.kind === 'comment.created' && n.payload.commentId !== undefined) pushed.add(Number(n.payload.commentId));
  });
  const commenterTokens = await Promise.all(commenters.map((c) => signAccessToken(secret, Number(c.id))));

  const chat = { sent: 0, acked: new Map<number, string>(), refused: new Map<string, number>() };
  const comments = { sent: 0, acknowledged: [] as number[], unacknowledged: [] as number[], queued: 0, failed: new Map<number, number>() };
  const stopAt = performance.now() + LOAD_MS;
  let seq = 0;

  const chatLoop = async (s: { conversationId: number; socket: Socket }) => {
    while (performance.now() < stopAt) {
      const body = `lost-test ${s.conversationId} #${++seq}`;
      chat.sent++;
      const ack = await s.socket.timeout(15_000).emitWithAck('message:send', { conversationId: s.conversationId, body }).catch((e: Error) => ({ ok: false, error: `no ack (${e.message})` }));
      if (ack.ok) chat.acked.set(ack.id as number, body);
      else chat.refused.set(String(ack.error), (chat.refused.get(String(ack.error)) ?? 0) + 1);
      await new Promise((r) => setTimeout(r, SEND_EVERY_MS));
    }
  };
  const commentLoop = async (token: string) => {
    while (performance.now() < stopAt) {
      comments.sent++;
      try {
        const res = await request(`${gateway}/api/posts/${post!.id}/comments`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'x-forwarded-for': `198.18.0.${comments.sent % 250}` },
          body: JSON.stringify({ body: 'lost-test comment' }),
          headersTimeout: 30_000,
          bodyTimeout: 30_000,
        });
        const text = await res.body.text();
        if (res.statusCode === 201) {
          const b = JSON.parse(text) as { comment: { id: number }; eventPublished?: boolean; eventQueued?: boolean };
          (b.eventPublished ? comments.acknowledged : comments.unacknowledged).push(b.comment.id);
          if (b.eventQueued) comments.queued++;
        } else comments.failed.set(res.statusCode, (comments.failed.get(res.statusCode) ?? 0) + 1);
      } catch {
        comments.failed.set(0, (comments.failed.get(0) ?? 0) + 1);
      }
      await new Promise((r) => setTimeout(r, 1_500));
    }
  };

  // The faults, one after the other while the load runs; Redis is always given back.
  const timeline: string[] = [];
  const t0 = performance.now();
  const mark = (what: string) => timeline.push(`${((performance.now() - t0) / 1000).toFixed(1)}s ${what}`);
  const faults = (async () => {
    await new Promise((r) => setTimeout(r, 4_000));
    mark('RabbitMQ stop_app');
    await restartRabbitMq(t.stack, 4_000);
    mark('RabbitMQ start_app done');
    await new Promise((r) => setTimeout(r, 5_000));
    mark('Redis proxy disabled');
    await toxiproxy.setEnabled('redis', false);
    try {
      await new Promise((r) => setTimeout(r, 5_000));
    } finally {
      await toxiproxy.setEnabled('redis', true);
      mark('Redis proxy enabled');
    }
    await new Promise((r) => setTimeout(r, 4_000));
    mark('redis-server SIGSTOP');
    await freezeProcess(t.stack, 'redis', 4_000);
    mark('redis-server SIGCONT');
  })();
  await Promise.all([...senders.map(chatLoop), ...commenterTokens.map(commentLoop), faults]);
  mark('load stopped');

  // Drain: wait until every accepted comment (acknowledged, or queued in the outbox while the
  // broker was away) has its stored notification, or the time is up.
  const ackedIds = [...chat.acked.keys()];
  const deadline = performance.now() + DRAIN_MS;
  const notifiedOf = async (ids: number[]) => {
    const [row] = await sql<{ n: number }>(t.stack, "SELECT count(DISTINCT (payload->>'commentId'))::int AS n FROM notifications WHERE kind = 'comment.created' AND (payload->>'commentId')::bigint = ANY($1::bigint[])", [ids]);
    return Number(row?.n ?? 0);
  };
  let notificationsStored = 0;
  let queuedNotified = 0;
  for (;;) {
    notificationsStored = await notifiedOf(comments.acknowledged);
    queuedNotified = await notifiedOf(comments.unacknowledged);
    if ((notificationsStored >= comments.acknowledged.length && queuedNotified >= comments.unacknowledged.length) || performance.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  await new Promise((r) => setTimeout(r, 1_000));
  mark('drained');
  const [stored] = await sql<{ n: number }>(t.stack, 'SELECT count(*)::int AS n FROM messages WHERE id = ANY($1::bigint[])', [ackedIds]);
  const chatStored = Number(stored?.n ?? 0);
  const chatDelivered = [...chat.acked.values()].filter((b) => delivered.has(b)).length;
  const pushedOfAcked = comments.acknowledged.filter((id) => pushed.has(id)).length;

  const report = [
    `[lost-messages] faults: ${timeline.join('; ')}`,
    `[lost-messages] chat: ${chat.sent} sent, ${chat.acked.size} acknowledged, ${chatStored} of them stored (lost: ${chat.acked.size - chatStored}), ${chatDelivered} delivered live to the listener (${chat.acked.size - chatDelivered} not pushed); refused: ${JSON.stringify(Object.fromEntries(chat.refused))}`,
    `[lost-messages] notifications: ${comments.sent} comments sent, ${comments.acknowledged.length} acknowledged with their event published, ${notificationsStored} notifications stored (lost: ${comments.acknowledged.length - notificationsStored}), ${pushedOfAcked} pushed live to the author; ${comments.unacknowledged.length} accepted without the event published (${comments.queued} of them queued in the outbox), ${queuedNotified} of those notified after the broker came back (lost: ${comments.unacknowledged.length - queuedNotified}); failed: ${JSON.stringify(Object.fromEntries(comments.failed))}`,
  ];
  process.stderr.write(`${report.join('\n')}\n`);

  expect(chat.acked.size).toBeGreaterThan(20);
  expect(comments.acknowledged.length).toBeGreaterThan(5);
  expect(chat.acked.size - chatStored, 'acknowledged chat messages missing from Postgres').toBe(0);
  expect(comments.acknowledged.length - notificationsStored, 'acknowledged comment events without a stored notification').toBe(0);
  // comments-outbox: nothing is accepted without its event any more, published now or queued.
  expect(comments.queued, 'comments accepted without their event published were all queued in the outbox').toBe(comments.unacknowledged.length);
  expect(comments.unacknowledged.length - queuedNotified, 'comments accepted during the outage without a stored notification').toBe(0);
  expect((await toxiproxy.getProxy('redis')).enabled).toBe(true);
}, 240_000);
