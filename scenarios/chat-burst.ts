/**
 * chat-burst: N Socket.IO connections (JWT in the handshake auth), one per VU, each a member of a
 * conversation, sending bursts of messages and counting every ack and every delivery to the other
 * members, so loss is a number: expected deliveries = acked x connected peers. Connect window,
 * bursts, drain: everyone is connected before the first burst and still listening after the last.
 * k6: k6/chat-burst.js (Engine.IO framing by hand). Plans: PLANS['chat-burst'] in k6/lib/plans.js.
 */
import { io, type Socket } from 'socket.io-client';
import { chatSlotOf, isOwnMessage, messageBody } from './k6/lib/mix.js';
import { scheduleOf } from './k6/lib/schedule.js';
import { CHAT_METRICS } from './thresholds.ts';
import type { ScenarioDescriptor } from './types.ts';
import type { VuContext } from './engine/vu-context.ts';

const ACK_TIMEOUT_MS = 10_000;

export interface Ack {
  ok: boolean;
  id?: number;
  error?: unknown;
}

async function iteration(vu: VuContext): Promise<void> {
  const chat = vu.plan.chat!;
  const slot = chatSlotOf(vu.data, vu.vu, vu.plannedVus);
  if (slot.spare) {
    // More VUs than conversation seats: a duplicate member would skew the delivery count.
    vu.sample('chat_spare_vus', 1);
    return;
  }
  const connectStart = performance.now();
  const socket: Socket = io(vu.data.baseUrl, {
    path: '/socket.io',
    transports: ['websocket'],
    auth: { token: slot.user.token },
    reconnection: false,
    forceNew: true,
    timeout: ACK_TIMEOUT_MS,
  });
  try {
    const connected = await new Promise<boolean>((resolve) => {
      socket.once('connect', () => resolve(true));
      socket.once('connect_error', () => resolve(false));
      vu.signal.addEventListener('abort', () => resolve(false), { once: true });
    });
    if (!connected) {
      vu.sample('chat_failed', 1, { name: 'connect' });
      vu.sample('chat_errors', 1, { name: 'connect' });
      return;
    }
    vu.sample('chat_connect_duration', performance.now() - connectStart, { name: 'connect' });
    vu.sample('chat_failed', 0, { name: 'connect' });
    vu.sample('sockets', 1);

    socket.on('message:new', (m: { conversationId?: number | string; body?: unknown; clientTs?: number }) => {
      if (String(m.conversationId) !== String(slot.conversationId) || isOwnMessage(m.body, vu.vu)) return;
      vu.sample('chat_messages_delivered', 1);
      if (typeof m.clientTs === 'number') vu.sample('chat_delivery_duration', Math.max(0, Date.now() - m.clientTs), { name: 'message:new' });
    });

    const { connectEndMs: burstStartMs, burstEndMs, drainEndMs } = scheduleOf(vu.plan).chat!;
    await vu.sleep(burstStartMs - vu.elapsedMs());

    const pending: Promise<void>[] = [];
    let seq = 0;
    while (vu.elapsedMs() < burstEndMs && !vu.signal.aborted) {
      for (let i = 0; i < chat.burstSize; i++) pending.push(send(vu, socket, slot.conversationId, slot.peers, ++seq));
      await vu.sleep(chat.burstIntervalMs);
    }
    await Promise.all(pending);
    await vu.sleep(drainEndMs - vu.elapsedMs());
  } finally {
    socket.disconnect();
  }
}

async function send(vu: VuContext, socket: Socket, conversationId: number, peers: number, seq: number): Promise<void> {
  const start = performance.now();
  vu.sample('chat_messages_sent', 1);
  const payload = { conversationId, body: messageBody(vu.vu, seq), clientTs: Date.now() };
  let ack: Ack | undefined;
  try {
    ack = (await socket.timeout(ACK_TIMEOUT_MS).emitWithAck('message:send', payload)) as Ack;
  } catch {
    ack = undefined; // no ack within the timeout, or the socket closed
  }
  if (ack?.ok) {
    vu.sample('chat_ack_duration', performance.now() - start, { name: 'message:send' });
    vu.sample('chat_messages_acked', 1);
    vu.sample('chat_deliveries_expected', peers);
    vu.sample('chat_failed', 0, { name: 'message:send' });
  } else if (ack && /rate|429/i.test(JSON.stringify(ack.error ?? ''))) {
    vu.sample('rate_limited', 1, { name: 'message:send' }); // self-provoked: counted, not a failure
  } else {
    vu.sample('chat_failed', 1, { name: 'message:send' });
    vu.sample('chat_errors', 1, { name: 'message:send' });
    // Why, as a counter of its own (chat_nack_no_ack, chat_nack_internal_error, ...): a soak's
    // error count then says whether the server refused or never answered.
    vu.sample(`chat_nack_${nackReason(ack)}`, 1);
  }
}

/** The reason an ack was not ok, as a metric-name suffix: the server's error code, or no_ack (timeout, socket closed). */
export function nackReason(ack: Ack | undefined): string {
  if (!ack) return 'no_ack';
  const code = typeof ack.error === 'string' ? ack.error : 'unknown';
  return code.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 40) || 'unknown';
}

export const chatBurst: ScenarioDescriptor = {
  id: 'chat-burst',
  description: 'Socket.IO connections sending bursts of messages; ack and fan-out latency, loss counted',
  k6Script: 'chat-burst.js',
  planKey: 'chat-burst',
  metrics: CHAT_METRICS,
  node: { iteration },
};
