/**
 * NF-8: "Socket.IO with the Redis adapter: 10,000+ connections per instance, delivery across
 * instances". One chat instance of the platform's code in a child process (its memory its own)
 * holds N sockets (10,000 in the full profile); a second instance, in this process, sends into
 * conversations whose other members are held on the first, through the Redis adapter.
 * The smoke profile has ~30 s for this: it connects fewer and leaves 10,000 unmeasured.
 */
import { loadavg } from 'node:os';
import type { Socket } from 'socket.io-client';
import { io } from 'socket.io-client';
import { startChatInstance, type ChatInstance } from '../../reference-system/index.ts';
import { switchesFor } from '../../core/index.ts';
import type { ClaimProbe } from '../probe.ts';
import type { AssessContext } from '../context.ts';
import { startChatChild, type ChatChild } from '../chat-child.ts';
import { connectAll, disconnectAll, heldSockets } from '../socket-crowd.ts';
import { fmtMs } from '../measure.ts';
import { fact, higherIsBetter, judged, notRun, show, unmeasured, type Part, type ProbeResult } from '../verdict.ts';
import { n } from './lib.ts';

export const NF8_CLAIMED_SOCKETS = 10_000;

export interface Nf8Measurement {
  /** Sockets this profile set out to connect (10,000 in the full profile). */
  target: number;
  /** Handshakes tried before the connect budget ran out, and those that reached "session:ready". */
  attempted: number;
  connected: number;
  /** Refused or not ready within 20 s. */
  failed: number;
  /** What the instance itself reported holding after the hold period (undefined: not read). */
  held: number | undefined;
  holdMs: number;
  connectMs: number;
  /** The instance's RSS / heap growth per held socket, after a full GC (KB). */
  rssPerSocketKb?: number;
  heapPerSocketKb?: number;
  /** Messages sent on the second instance into conversations held on the first, and deliveries seen there. */
  crossExpected: number;
  crossDelivered: number;
  load1: number;
}

export function judgeNf8(m: Nf8Measurement): ProbeResult {
  const full = m.target >= NF8_CLAIMED_SOCKETS;
  const parts: Part[] = [
    full
      ? higherIsBetter('10,000+ connections held by one instance', m.held, NF8_CLAIMED_SOCKETS, show.n)
      : unmeasured('10,000+ connections per instance', `this profile connects ${m.target.toLocaleString('en')} within its budget (held ${m.held ?? '-'}); the full profile holds 10,000`),
    // Only a held count read from the instance is evidence; a refused handshake fails it.
    fact(
      `every socket connected (${m.attempted.toLocaleString('en')} tried) stays held, none refused`,
      m.held === undefined || m.attempted === 0 ? undefined : m.failed === 0 && m.held >= m.connected,
      m.held === undefined ? 'not measured: the instance did not answer /health' : `${m.held.toLocaleString('en')} held of ${m.connected.toLocaleString('en')} connected, ${m.failed} failed`,
    ),
    fact(
      'delivery across instances (Redis adapter), the receiving instance holding the crowd',
      m.crossExpected > 0 ? m.crossDelivered === m.crossExpected : undefined,
      m.crossExpected > 0 ? `${m.crossDelivered}/${m.crossExpected} deliveries` : 'not measured: no conversation to send into',
    ),
  ];
  return judged(
    'NF-8',
    `switch socketio-redis-adapter on; one chat instance of the platform's code in its own process holds ${m.target.toLocaleString('en')} Socket.IO clients (websocket, 100 handshakes in flight) for ${fmtMs(m.holdMs)}; a second instance sends one message into each of up to 20 conversations whose other members are held on the first (deliveries expected only for acked messages); held count from the instance's /health, memory after a full GC`,
    `${(m.held ?? 0).toLocaleString('en')} held of ${m.attempted.toLocaleString('en')} tried (${m.failed} failed) in ${fmtMs(m.connectMs)}${m.rssPerSocketKb !== undefined ? `, ${m.rssPerSocketKb.toFixed(1)} KB RSS / ${m.heapPerSocketKb?.toFixed(1) ?? '-'} KB heap per socket` : ''}; across instances ${m.crossDelivered}/${m.crossExpected} delivered; load1 ${m.load1.toFixed(1)}`,
    parts,
    { targetSockets: m.target, attempted: m.attempted, connected: m.connected, failed: m.failed, held: m.held, connectMs: m.connectMs, rssPerSocketKb: m.rssPerSocketKb, heapPerSocketKb: m.heapPerSocketKb, crossExpected: m.crossExpected, crossDelivered: m.crossDelivered, load1: m.load1 },
  );
}

const KB = 1024;

async function connectOne(url: string, token: string): Promise<Socket> {
  const s = io(url, { transports: ['websocket'], auth: { token }, reconnection: false, forceNew: true });
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('sender socket not ready within 15 s')), 15_000);
    s.once('session:ready', () => (clearTimeout(t), resolve()));
    s.once('connect_error', (e) => (clearTimeout(t), reject(e)));
  });
  return s;
}

export const nf8Sockets: ClaimProbe = {
  id: 'nf-8-sockets',
  claimIds: ['NF-8'],
  description: 'holds 10,000 Socket.IO clients on one chat instance (fewer in smoke) and delivers across instances with the Redis adapter',
  profiles: ['smoke', 'full'],
  async run(ctx: AssessContext) {
    const target = n(ctx, 2_000, NF8_CLAIMED_SOCKETS);
    const connectBudgetMs = n(ctx, 10_000, 240_000);
    const holdMs = n(ctx, 2_000, 10_000);
    // Conversations with 2+ members: the first member sends from instance 2, the others are held on instance 1.
    const convs = (await ctx.db.query<{ id: string; members: string[] }>(
      'SELECT conversation_id AS id, array_agg(user_id ORDER BY user_id) AS members FROM conversation_members GROUP BY conversation_id HAVING count(*) BETWEEN 2 AND 8 ORDER BY conversation_id LIMIT 20',
    )).rows.map((r) => ({ id: Number(r.id), members: r.members.map(Number) }));
    if (convs.length === 0) return [notRun('NF-8', 'the dataset has no conversation with two to eight members')];
    const senders = new Set(convs.map((c) => c.members[0]!));
    const receivers = [...new Set(convs.flatMap((c) => c.members.slice(1)))].filter((u) => !senders.has(u));
    const filler = (await ctx.db.query<{ id: string }>('SELECT id FROM users ORDER BY id LIMIT $1', [target + senders.size + receivers.length])).rows.map((r) => Number(r.id));
    const held = new Set(receivers);
    for (const u of filler) if (held.size < target && !senders.has(u)) held.add(u);
    const users = [...held];
    const secret = ctx.stack.platform.jwtSecret;
    const tokens = await Promise.all(users.map((u) => ctx.token(u)));
    const opts = {
      databaseUrl: ctx.stack.urls.pgbouncer,
      redisUrl: ctx.stack.urls.redis,
      amqpUrl: ctx.stack.urls.amqp,
      jwtSecret: secret,
      switches: { ...switchesFor('optimized'), 'socketio-redis-adapter': true },
      tuning: { namespace: `nf8${Date.now().toString(36)}.`, storyCleanupIntervalMs: 0, logLevel: 'silent' as const },
    };
    let child: ChatChild | undefined;
    let sender: ChatInstance | undefined;
    const crowd: Socket[] = [];
    const senderSockets: Socket[] = [];
    try {
      child = await startChatChild({ ...opts, instanceId: 'assess-nf8-holder' });
      sender = await startChatInstance({ ...opts, instanceId: 'assess-nf8-sender' });
      const base = await child.memory();
      const r = await connectAll(child.url, tokens, 100, connectBudgetMs, ctx.signal);
      crowd.push(...r.sockets.values());
      ctx.log(`NF-8: ${r.sockets.size} of ${tokens.length} connected in ${fmtMs(r.ms)} (${r.failed} failed, ${r.notAttempted} not tried), load1 ${loadavg()[0]!.toFixed(1)}`);
      await new Promise((res) => setTimeout(res, holdMs));
      const heldNow = await heldSockets(child.url).catch(() => undefined);
      const mem = await child.memory();
      // Deliveries seen on the held receivers' sockets, tagged by this run.
      const tag = `nf8-${Date.now()}`;
      const byUser = new Map([...r.sockets].map(([i, s]) => [users[i]!, s]));
      let delivered = 0;
      const listeners: [Socket, (m: { body?: string }) => void][] = [];
      for (const u of receivers) {
        const s = byUser.get(u);
        if (!s) continue;
        const on = (m: { body?: string }) => void (m.body?.startsWith(tag) && delivered++);
        s.on('message:new', on);
        listeners.push([s, on]);
      }
      let expected = 0;
      // Senders connect at once (the smoke budget is seconds); each then sends one message in turn.
      const connected = await Promise.allSettled(convs.map(async (c) => connectOne(sender!.url, await ctx.token(c.members[0]!))));
      for (const r of connected) if (r.status === 'fulfilled') senderSockets.push(r.value);
      const failedSender = connected.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failedSender) throw failedSender.reason as Error;
      for (const [i, c] of convs.entries()) {
        const s = senderSockets[i]!;
        const ack = await new Promise<{ ok: boolean }>((resolve) => s.timeout(10_000).emit('message:send', { conversationId: c.id, body: `${tag} ${c.id}` }, (err: Error | null, a: { ok: boolean }) => resolve(err ? { ok: false } : a)));
        // An unacked message was never stored: its deliveries are not expected (and not evidence).
        if (ack.ok) expected += c.members.slice(1).filter((u) => byUser.has(u)).length;
      }
      const until = Date.now() + 5_000;
      while (delivered < expected && Date.now() < until) await new Promise((res) => setTimeout(res, 100));
      for (const [s, on] of listeners) s.off('message:new', on);
      const perSocket = (bytes: number) => (heldNow && heldNow > 0 ? bytes / KB / heldNow : undefined);
      return [
        judgeNf8({
          target,
          attempted: tokens.length - r.notAttempted,
          connected: r.sockets.size,
          failed: r.failed,
          held: heldNow,
          holdMs,
          connectMs: r.ms,
          ...(perSocket(mem.rss - base.rss) !== undefined ? { rssPerSocketKb: perSocket(mem.rss - base.rss)!, heapPerSocketKb: perSocket(mem.heapUsed - base.heapUsed)! } : {}),
          crossExpected: expected,
          crossDelivered: delivered,
          load1: loadavg()[0]!,
        }),
      ];
    } finally {
      disconnectAll(senderSockets);
      disconnectAll(crowd);
      await sender?.stop().catch(() => undefined);
      await child?.stop().catch(() => undefined);
    }
  },
};
