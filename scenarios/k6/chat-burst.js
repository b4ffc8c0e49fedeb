// chat-burst: N Socket.IO connections (one per VU, JWT in the handshake auth), each a member of a
// conversation, sending bursts of messages. k6 has no Socket.IO client, so this speaks Engine.IO v4
// / Socket.IO v5 over k6/websockets (lib/socketio.js): open, "40{auth}" connect, "42N[...]" events
// with acks "43N[...]", pings "2" answered "3".
//
// Measures connect time, ack latency (send to ack) and fan-out delivery latency (the sender's
// clientTs to receipt by another member), and counts sent, acked, delivered and expected
// deliveries (acked x connected peers), so loss is a number.
//
// Load shape: -e PROFILE=smoke|load|stress|spike|soak (lib/plans.js): every VU connects within the
// connect window, sends `burstSize` messages every `burstIntervalMs` during the burst window,
// then keeps listening through the drain window. Thresholds: NV-13, message ack p(99) < 100 ms.
//
//   k6 run scenarios/k6/chat-burst.js -e BRINK_DATA=.brink/runs/<run>/setup-data.json -e PROFILE=smoke
import exec from 'k6/execution';
import { WebSocket } from 'k6/websockets';
import { setInterval, clearInterval, setTimeout } from 'k6/timers';
import { Counter, Rate, Trend } from 'k6/metrics';
import { loadData, loadPlan, summaryOutputs, SUMMARY_TREND_STATS, thresholdsFor } from './lib/brink.js';
import { chatSlotOf, isOwnMessage, messageBody } from './lib/mix.js';
import { connectFrame, decodeFrame, eventFrame, socketUrl } from './lib/socketio.js';

const data = loadData();
const plan = loadPlan('chat-burst');
const chat = plan.chat;
// The windows as the compiled schedule states them, ms from the start (the Node engine reads the same).
const windows = plan.schedule.chat;

const connectDuration = new Trend('chat_connect_duration', true);
const ackDuration = new Trend('chat_ack_duration', true);
const deliveryDuration = new Trend('chat_delivery_duration', true);
const sent = new Counter('chat_messages_sent');
const acked = new Counter('chat_messages_acked');
const delivered = new Counter('chat_messages_delivered');
const expected = new Counter('chat_deliveries_expected');
const chatErrors = new Counter('chat_errors');
const chatFailed = new Rate('chat_failed');
const rateLimited = new Counter('rate_limited');
const spareVus = new Counter('chat_spare_vus');

export const options = {
  scenarios: { chat: plan.scenario },
  thresholds: thresholdsFor(plan),
  summaryTrendStats: SUMMARY_TREND_STATS,
};

export default function () {
  const slot = chatSlotOf(data, exec.vu.idInTest, plan.schedule.maxVus);
  if (slot.spare) {
    spareVus.add(1); // more VUs than conversation seats: a duplicate member would skew delivery counts
    return;
  }
  const t0 = exec.scenario.startTime;
  const burstStart = t0 + windows.connectEndMs;
  const burstEnd = t0 + windows.burstEndMs;
  const drainEnd = t0 + windows.drainEndMs;
  const pending = {}; // ack id -> time sent
  let nextAckId = 0;
  let seq = 0;
  let connected = false;
  let burstTimer;
  const connectStart = Date.now();
  const ws = new WebSocket(socketUrl(data.baseUrl));

  const sendBurst = () => {
    if (Date.now() >= burstEnd) {
      clearInterval(burstTimer);
      return;
    }
    for (let i = 0; i < chat.burstSize; i++) {
      const id = nextAckId++;
      pending[id] = Date.now();
      sent.add(1);
      ws.send(eventFrame('message:send', { conversationId: slot.conversationId, body: messageBody(exec.vu.idInTest, ++seq), clientTs: Date.now() }, id));
    }
  };

  ws.onmessage = (e) => {
    const f = decodeFrame(String(e.data)); // Engine.IO text frames arrive as strings
    if (f.kind === 'eio-open') ws.send(connectFrame({ token: slot.user.token }));
    else if (f.kind === 'ping') ws.send('3');
    else if (f.kind === 'connect') {
      connected = true;
      connectDuration.add(Date.now() - connectStart, { name: 'connect' });
      chatFailed.add(0, { name: 'connect' });
      // Everyone connects within the window, then the bursts start together.
      setTimeout(() => {
        sendBurst();
        burstTimer = setInterval(sendBurst, chat.burstIntervalMs);
      }, Math.max(0, burstStart - Date.now()));
    } else if (f.kind === 'connect-error') {
      chatFailed.add(1, { name: 'connect' });
      chatErrors.add(1, { name: 'connect' });
      ws.close();
    } else if (f.kind === 'ack' && pending[f.id] !== undefined) {
      const res = /** @type {{ ok?: boolean, error?: unknown }} */ (f.args[0] || {});
      const sentAt = pending[f.id];
      delete pending[f.id];
      if (res.ok) {
        ackDuration.add(Date.now() - sentAt, { name: 'message:send' });
        acked.add(1);
        expected.add(slot.peers);
        chatFailed.add(0, { name: 'message:send' });
      } else if (/rate|429/i.test(JSON.stringify(res.error || ''))) {
        rateLimited.add(1, { name: 'message:send' }); // self-provoked: counted, not a failure
      } else {
        chatFailed.add(1, { name: 'message:send' });
        chatErrors.add(1, { name: 'message:send' });
      }
    } else if (f.kind === 'event' && f.name === 'message:new') {
      const m = /** @type {{ conversationId?: unknown, body?: string, clientTs?: unknown }} */ (f.args[0] || {});
      if (String(m.conversationId) !== String(slot.conversationId) || isOwnMessage(m.body, exec.vu.idInTest)) return;
      delivered.add(1);
      if (typeof m.clientTs === 'number') deliveryDuration.add(Math.max(0, Date.now() - m.clientTs), { name: 'message:new' });
    }
  };

  ws.onerror = () => {
    if (!connected) {
      chatFailed.add(1, { name: 'connect' });
      chatErrors.add(1, { name: 'connect' });
    }
  };

  // After the drain window, messages still without an ack are failures; then hang up.
  setTimeout(() => {
    clearInterval(burstTimer);
    for (const id of Object.keys(pending)) {
      chatFailed.add(1, { name: 'message:send' });
      chatErrors.add(1, { name: 'message:send' });
    }
    ws.close();
  }, Math.max(1000, drainEnd - Date.now()));
}

export function handleSummary(summary) {
  return summaryOutputs(summary);
}
