import pg from 'pg';
import { io, type Socket } from 'socket.io-client';
import { startChatInstance, type ChatInstance, decodeHistoryCursor } from '../../reference-system/index.ts';
import { switchesFor, type Switches } from '../../core/index.ts';
import type { ClaimProbe } from '../probe.ts';
import type { AssessContext } from '../context.ts';
import { fmtMs, http } from '../measure.ts';
import { fact, judged, notRun, type ProbeResult } from '../verdict.ts';
import { callsMatching, n, planNodes } from './lib.ts';
import { createHistogram, recordMs, trendValues } from '../../core/index.ts';
import { SQL } from '../../sql-audit/index.ts';

const MESSAGES_INDEX = 'messages_conversation_created_idx';

export interface Cp1Measurement {
  /** Messages sent by a member on instance 1 that reached a member on instance 2, adapter off then on. */
  sent: number;
  deliveredOff: number;
  deliveredOn: number;
}

export interface Cp3Measurement {
  /** A history page asked with limit 1000: messages answered with keyset-paging off, then on. */
  askedLimit: number;
  pageOff: number;
  pageOn: number;
  /** The 40th page read by following the cursor: ms with OFFSET vs with the keyset cursor. */
  deepPageOffMs: number | undefined;
  deepPageOnMs: number | undefined;
  cursorKind: string | undefined;
  /** Member lookups per sent message: membership-cache off, then on. */
  memberQueriesPerMessageOff: number;
  memberQueriesPerMessageOn: number;
  /** Messages acked ok before the first rate_limited ack, of `burst`. */
  acceptedBeforeLimit: number;
  burst: number;
  limitedWith: string | undefined;
  /** The history query's plan reads messages(conversation_id, created_at DESC) with its switch on, not off. */
  indexUsedWith: boolean;
  indexUsedWithout: boolean;
}

export interface Cp6Measurement {
  changes: number;
  /** presence_events rows written per presence change right away: batching off, then on. */
  writesOff: number;
  writesOn: number;
  /** With batching on, the batch statement that followed within the (shortened) flush interval. */
  flushIntervalMs: number;
  /** Users of the batched run whose row the flush updated, and the batch statements it took. */
  batchedUsers: number;
  batchStatements: number;
}

/** NV-11: one chat instance under a message burst from `senders` sockets. */
export interface Nv11Measurement {
  senders: number;
  /** Closed loop (each sender sends on its previous ack) for a few seconds: messages stored per second. */
  saturatedMsgPerSec: number;
  /** Postgres alone: committed single-row message INSERTs per second from 16 direct connections. */
  pgWritesPerSec: number;
  /** Open loop at the claimed safe rate: ack P99 and failures. */
  offeredMsgPerSec: number;
  ackP99Ms: number | undefined;
  failed: number;
}

export function judgeNv11(m: Nv11Measurement): ProbeResult {
  return judged(
    'NV-11',
    `a chat instance of the platform's code (its message rate limit raised), ${m.senders} sockets in as many conversations: a closed-loop burst (send on ack) for the most messages stored per second; the message INSERT alone from 16 direct connections; then an open loop at ${m.offeredMsgPerSec} msg/s; ack = stored in Postgres`,
    `Postgres alone took ${m.pgWritesPerSec.toFixed(0)} message INSERTs/s; the chat path saturated at ${m.saturatedMsgPerSec.toFixed(0)} msg/s; at ${m.offeredMsgPerSec} msg/s ack P99 ${m.ackP99Ms !== undefined ? fmtMs(m.ackP99Ms) : '-'}, ${m.failed} failed`,
    [
      fact('Postgres saturates near 5,000 writes/s (2,500-10,000)', m.pgWritesPerSec >= 2_500 && m.pgWritesPerSec <= 10_000, `${m.pgWritesPerSec.toFixed(0)} committed INSERTs/s from 16 connections (2 shared cores)`),
      fact('safe ~500 msg/s (ack P99 < 100 ms, no failure)', m.ackP99Ms === undefined ? undefined : m.ackP99Ms < 100 && m.failed === 0, `P99 ${m.ackP99Ms !== undefined ? fmtMs(m.ackP99Ms) : '-'}, ${m.failed} failed at ${m.offeredMsgPerSec} msg/s`),
    ],
    { saturatedMsgPerSec: m.saturatedMsgPerSec, ackP99Ms: m.ackP99Ms, failed: m.failed },
  );
}

export function judgeCp1(m: Cp1Measurement): ProbeResult {
  return judged(
    'CP-1',
    'two chat instances of the platform\'s code on one namespace; a member connected to each; messages sent on instance 1; switch socketio-redis-adapter off, then on',
    `adapter off: ${m.deliveredOff}/${m.sent} reached the member on the other instance; on: ${m.deliveredOn}/${m.sent}`,
    [
      fact('with connections in an in-memory map, a message never reaches a user on another instance', m.sent > 0 ? m.deliveredOff === 0 : undefined, `${m.deliveredOff}/${m.sent} delivered`),
      fact('the Redis adapter fixes it', m.sent > 0 ? m.deliveredOn === m.sent : undefined, `${m.deliveredOn}/${m.sent} delivered`),
    ],
    { sent: m.sent, deliveredOff: m.deliveredOff, deliveredOn: m.deliveredOn },
  );
}

export function judgeCp3(m: Cp3Measurement): ProbeResult {
  return judged(
    'CP-3',
    `a chat instance of the platform's code: history pages through its HTTP route (limit ${m.askedLimit}, then 40 pages by cursor) with keyset-paging off/on; member lookups per message with membership-cache off/on (pg_stat_statements); ${m.burst} messages from one user in a burst`,
    `page for limit ${m.askedLimit}: ${m.pageOff} -> ${m.pageOn} messages; 40th page ${m.deepPageOffMs !== undefined ? fmtMs(m.deepPageOffMs) : '-'} (OFFSET) vs ${m.deepPageOnMs !== undefined ? fmtMs(m.deepPageOnMs) : '-'} (${m.cursorKind ?? '-'} cursor); member queries per message ${m.memberQueriesPerMessageOff.toFixed(2)} -> ${m.memberQueriesPerMessageOn.toFixed(2)}; ${m.acceptedBeforeLimit} of ${m.burst} accepted, then ${m.limitedWith ?? 'no refusal'}`,
    [
      fact('a maximum page size is enforced', m.pageOn < m.askedLimit && m.pageOff >= m.pageOn, `${m.pageOn} of ${m.askedLimit} asked`),
      fact('index (chat_id, created_at DESC) serves the history', m.indexUsedWith && !m.indexUsedWithout, `${m.indexUsedWithout ? 'index' : 'no index'} -> ${m.indexUsedWith ? 'index' : 'no index'}`),
      fact('cursor (keyset) paging', m.deepPageOnMs === undefined ? undefined : m.cursorKind === 'keyset', m.cursorKind ?? 'no cursor'),
      fact('no N+1 on chat members (one lookup per message at most)', m.memberQueriesPerMessageOff <= 1.05, `${m.memberQueriesPerMessageOff.toFixed(2)} per message`),
      fact('membership cached instead of queried per message', m.memberQueriesPerMessageOn < 0.5 && m.memberQueriesPerMessageOff >= 0.9, `${m.memberQueriesPerMessageOff.toFixed(2)} -> ${m.memberQueriesPerMessageOn.toFixed(2)} per message`),
      fact('60 messages/min per user, then refused (the socket form of a 429)', m.acceptedBeforeLimit === 60 && m.limitedWith === 'rate_limited', `${m.acceptedBeforeLimit} accepted, then ${m.limitedWith ?? 'none refused'}`),
    ],
    { pageOff: m.pageOff, pageOn: m.pageOn, deepPageOffMs: m.deepPageOffMs, deepPageOnMs: m.deepPageOnMs, memberQueriesPerMessageOff: m.memberQueriesPerMessageOff, memberQueriesPerMessageOn: m.memberQueriesPerMessageOn, acceptedBeforeLimit: m.acceptedBeforeLimit },
  );
}

export function judgeCp6(m: Cp6Measurement): ProbeResult {
  return judged(
    'CP-6',
    `${m.changes} presence changes (sockets connecting) on a chat instance of the platform's code; presence_events rows counted right after, presence-batching off then on; the batch flush with its interval shortened to ${fmtMs(m.flushIntervalMs)} (30 s in the platform)`,
    `DB writes per change: ${(m.writesOff / m.changes).toFixed(2)} -> ${(m.writesOn / m.changes).toFixed(2)}; then ${m.batchStatements} batch statement(s) persisted ${m.batchedUsers} of ${m.changes} users within ${fmtMs(m.flushIntervalMs + 1000)}`,
    [
      fact('presence is written to the DB on every change', m.changes > 0 ? m.writesOff >= m.changes : undefined, `${m.writesOff} writes for ${m.changes} changes`),
      fact('kept in Redis instead (no write per change)', m.changes > 0 ? m.writesOn === 0 : undefined, `${m.writesOn} writes`),
      fact('persisted in batches (every interval)', m.changes > 0 ? m.batchedUsers >= m.changes && m.batchStatements >= 1 && m.batchStatements <= 3 : undefined, `${m.batchedUsers} users in ${m.batchStatements} statement(s)`),
    ],
    { writesPerChangeOff: m.writesOff / Math.max(1, m.changes), writesPerChangeOn: m.writesOn / Math.max(1, m.changes), batchedUsers: m.batchedUsers },
  );
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function connect(ctx: AssessContext, url: string, userId: number): Promise<Socket> {
  const socket = io(url, { transports: ['websocket'], auth: { token: await ctx.token(userId) }, reconnection: false, forceNew: true });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (e) => reject(e));
    setTimeout(() => reject(new Error('socket connect timed out')), 15_000);
  });
  return socket;
}

const send = (s: Socket, conversationId: number, body: string) =>
  new Promise<{ ok: boolean; error?: string }>((resolve) => s.timeout(10_000).emit('message:send', { conversationId, body }, (err: Error | null, ack: { ok: boolean; error?: string }) => resolve(err ? { ok: false, error: 'timeout' } : ack)));

/** CP-1, CP-3 and CP-6 on two chat instances of the platform's code, started here on a namespace of their own. */
export const chatInstances: ClaimProbe = {
  id: 'chat-instances',
  claimIds: ['CP-1', 'CP-3', 'CP-6', 'NV-11'],
  description: 'starts two chat instances, then checks cross-instance delivery, history paging, membership lookups, the message rate limit and presence writes by their switches',
  profiles: ['smoke', 'full'],
  async run(ctx) {
    const conv = [...ctx.dataset.heavyConversations].sort((a, b) => b.messages - a.messages)[0];
    if (!conv || conv.memberIds.length < 3) return ['CP-1', 'CP-3', 'CP-6', 'NV-11'].map((id) => notRun(id, 'the dataset has no conversation with three members'));
    const [a, b, c] = conv.memberIds as [number, number, number];
    const switches: Switches = { ...switchesFor('optimized') };
    const flushIntervalMs = 2_000;
    const opts = { databaseUrl: ctx.stack.urls.pgbouncer, redisUrl: ctx.stack.urls.redis, amqpUrl: ctx.stack.urls.amqp, jwtSecret: ctx.stack.platform.jwtSecret, switches, tuning: { namespace: `assess${Date.now().toString(36)}.`, presenceFlushIntervalMs: flushIntervalMs, storyCleanupIntervalMs: 0, logLevel: 'silent' } };
    const instances: ChatInstance[] = [];
    const sockets: Socket[] = [];
    try {
      instances.push(await startChatInstance({ ...opts, instanceId: 'assess-chat-1' }), await startChatInstance({ ...opts, instanceId: 'assess-chat-2' }));
      const [one, two] = instances as [ChatInstance, ChatInstance];
      const sa = await connect(ctx, one.url, a);
      const sb = await connect(ctx, two.url, b);
      sockets.push(sa, sb);
      // CP-1: what reaches b (instance 2) of what a sends (instance 1).
      const deliveredTo = async (adapter: boolean, sent: number) => {
        switches['socketio-redis-adapter'] = adapter;
        const tag = `cp1-${adapter}-${Date.now()}`;
        let got = 0;
        const on = (m: { body?: string }) => m.body?.startsWith(tag) && got++;
        sb.on('message:new', on);
        for (let i = 0; i < sent; i++) await send(sa, conv.id, `${tag}-${i}`);
        await sleep(1500);
        sb.off('message:new', on);
        return got;
      };
      const sent = 5;
      const deliveredOff = await deliveredTo(false, sent);
      const deliveredOn = await deliveredTo(true, sent);
      // CP-3: paging through the HTTP route.
      const page = async (keyset: boolean, query: string) => {
        switches['keyset-paging'] = keyset;
        const r = await http(`${one.url}/api/conversations/${conv.id}/messages?${query}`, { headers: { 'x-user-id': String(a) }, timeoutMs: 30_000 });
        if (r.status !== 200) throw new Error(`history answered ${r.status}`);
        return { ms: r.ms, body: JSON.parse(r.body.toString()) as { messages: unknown[]; nextCursor: string | null } };
      };
      const askedLimit = 1000;
      const pageOff = (await page(false, `limit=${askedLimit}`)).body.messages.length;
      const pageOn = (await page(true, `limit=${askedLimit}`)).body.messages.length;
      const deep = async (keyset: boolean) => {
        let cursor: string | null = null;
        let last: { ms: number; body: { messages: unknown[]; nextCursor: string | null } } | undefined;
        for (let i = 0; i < 40; i++) {
          last = await page(keyset, `limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
          cursor = last.body.nextCursor;
          if (!cursor) return undefined;
        }
        return { ms: last!.ms, cursor };
      };
      const deepOff = await deep(false);
      const deepOn = await deep(true);
      const cursorKind = deepOn?.cursor ? decodeHistoryCursor(deepOn.cursor).kind : undefined;
      // Member lookups per message (sent by a, on instance 1).
      const lookups = async (cache: boolean) => {
        switches['membership-cache'] = cache;
        await send(sa, conv.id, 'warm');
        const q0 = await callsMatching(ctx, ['FROM conversation_members WHERE conversation_id']);
        for (let i = 0; i < 10; i++) await send(sa, conv.id, `cp3-lookup-${cache}-${i}`);
        return ((await callsMatching(ctx, ['FROM conversation_members WHERE conversation_id'])) - q0) / 10;
      };
      const memberQueriesPerMessageOff = await lookups(false);
      const memberQueriesPerMessageOn = await lookups(true);
      // The per-user budget: c has sent nothing in this namespace's window.
      const sc = await connect(ctx, one.url, c);
      sockets.push(sc);
      const burst = 61;
      let acceptedBeforeLimit = 0;
      let limitedWith: string | undefined;
      for (let i = 0; i < burst; i++) {
        const ack = await send(sc, conv.id, `cp3-rate-${i}`);
        if (ack.ok) acceptedBeforeLimit++;
        else {
          limitedWith = ack.error;
          break;
        }
      }
      const uses = (nodes: { 'Index Name'?: string }[]) => nodes.some((x) => x['Index Name'] === MESSAGES_INDEX);
      const indexUsedWithout = await ctx.withSwitches({ 'idx-messages-conversation-created': false }, async () => uses(await planNodes(ctx, SQL.get_message_history, [conv.id, 50, 0])));
      const indexUsedWith = await ctx.withSwitches({ 'idx-messages-conversation-created': true }, async () => uses(await planNodes(ctx, SQL.get_message_history, [conv.id, 50, 0])));
      // CP-6: presence writes for users coming online.
      const users = ctx.dataset.sampleUserIds.slice(200, 220);
      const presence = async (batched: boolean, ids: number[]) => {
        switches['presence-batching'] = batched;
        const w0 = await callsMatching(ctx, ['INSERT INTO presence_events']);
        const ss = await Promise.all(ids.map((id) => connect(ctx, two.url, id)));
        sockets.push(...ss);
        await sleep(500);
        return (await callsMatching(ctx, ['INSERT INTO presence_events'])) - w0;
      };
      const writesOff = await presence(false, users.slice(0, 10));
      const since = new Date();
      const batches0 = await callsMatching(ctx, ['UPDATE users u SET status']);
      const writesOn = await presence(true, users.slice(10, 20));
      // The instance's own timer flushes (interval shortened here): wait for it, then read what it wrote.
      await sleep(flushIntervalMs + 1_000);
      const batchStatements = (await callsMatching(ctx, ['UPDATE users u SET status'])) - batches0;
      const batchedUsers = Number((await ctx.db.query<{ n: string }>('SELECT count(*) AS n FROM users WHERE id = ANY($1::bigint[]) AND last_seen_at >= $2', [users.slice(10, 20), since])).rows[0]!.n);
      // NV-11: a third instance whose per-user budget does not stop a burst.
      const three = await startChatInstance({ ...opts, instanceId: 'assess-chat-3', tuning: { ...opts.tuning, messagesPerMinute: 1_000_000 } });
      instances.push(three);
      const pairs = (await ctx.db.query<{ conversation_id: string; user_id: string }>('SELECT DISTINCT ON (conversation_id) conversation_id, user_id FROM conversation_members ORDER BY conversation_id, user_id LIMIT 100')).rows;
      const senders = await Promise.all(pairs.map(async (p) => ({ conv: Number(p.conversation_id), socket: await connect(ctx, three.url, Number(p.user_id)) })));
      sockets.push(...senders.map((x) => x.socket));
      const burstMs = n(ctx, 4_000, 20_000);
      let stored = 0;
      const b0 = performance.now();
      await Promise.all(senders.map(async (x) => {
        while (performance.now() - b0 < burstMs) if ((await send(x.socket, x.conv, 'nv11 burst')).ok) stored++;
      }));
      const saturatedMsgPerSec = (stored * 1000) / (performance.now() - b0);
      // Postgres alone: the catalog's message INSERT, committed one by one from 16 direct connections.
      const writers = new pg.Pool({ connectionString: ctx.stack.urls.postgres, max: 16 });
      writers.on('error', () => undefined);
      let pgWrites = 0;
      let w0 = 0;
      try {
        const clients = await Promise.all(Array.from({ length: 16 }, () => writers.connect()));
        w0 = performance.now();
        await Promise.all(clients.map(async (w, i) => {
          const p = pairs[i % pairs.length]!;
          try {
            while (performance.now() - w0 < burstMs / 2) {
              await w.query(SQL.insert_message, [Number(p.conversation_id), Number(p.user_id), 'nv11 postgres write', 0]);
              pgWrites++;
            }
          } finally {
            w.release();
          }
        }));
      } finally {
        await writers.end().catch(() => undefined);
      }
      const pgWritesPerSec = (pgWrites * 1000) / (performance.now() - w0);
      const offeredMsgPerSec = 500;
      const h = createHistogram();
      let failed = 0;
      const perSender = offeredMsgPerSec / senders.length;
      const openMs = n(ctx, 3_000, 20_000);
      await Promise.all(senders.map(async (x, i) => {
        const inFlight: Promise<void>[] = [];
        // Each sender sends on its own clock (open loop): late acks do not slow the offered rate.
        for (let k = 0; k < Math.round((perSender * openMs) / 1000); k++) {
          await sleep(Math.max(0, b0 + burstMs + (k * 1000) / perSender + (i * 1000) / offeredMsgPerSec - performance.now() + 200));
          const t = performance.now();
          inFlight.push(send(x.socket, x.conv, 'nv11 steady').then((ack) => {
            if (ack.ok) recordMs(h, performance.now() - t);
            else failed++;
          }));
        }
        await Promise.all(inFlight);
      }));
      const ackP99Ms = trendValues(h).count > 0 ? trendValues(h).p99 : undefined;
      return [
        judgeNv11({ senders: senders.length, saturatedMsgPerSec, pgWritesPerSec, offeredMsgPerSec, ackP99Ms, failed }),
        judgeCp1({ sent, deliveredOff, deliveredOn }),
        judgeCp3({ askedLimit, pageOff, pageOn, deepPageOffMs: deepOff?.ms, deepPageOnMs: deepOn?.ms, cursorKind, memberQueriesPerMessageOff, memberQueriesPerMessageOn, acceptedBeforeLimit, burst, limitedWith, indexUsedWith, indexUsedWithout }),
        judgeCp6({ changes: 10, writesOff, writesOn, flushIntervalMs, batchedUsers, batchStatements }),
      ];
    } finally {
      for (const s of sockets) s.disconnect();
      await Promise.all(instances.map((i) => i.stop().catch(() => undefined)));
    }
  },
};
