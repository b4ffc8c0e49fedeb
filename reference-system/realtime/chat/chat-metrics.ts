/**
 * What a chat instance reports on /metrics: connected sockets, messages by outcome (rate() gives
 * messages/s; a gauge also carries the last 10 s rate for people reading /metrics by eye), the
 * send-to-ack latency histogram, where membership answers came from, and the notification
 * queues' depth and DLQ size.
 */
import type { Registry } from 'prom-client';
import { counter, gauge, histogram } from '../../shared/metrics.ts';

/** Ack latency buckets (seconds): fine around the 100 ms goal. */
export const ACK_BUCKETS_S = [0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2.5, 5];

export function chatMetrics(registry: Registry, instanceId: string) {
  const labels = { service: 'chat', instance: instanceId };
  const sockets = gauge(registry, { name: 'brink_chat_connected_sockets', help: 'Socket.IO connections this chat instance holds', labelNames: ['service', 'instance'] });
  const messages = counter(registry, { name: 'brink_chat_messages_total', help: 'message:send events by outcome (ok or the error reason)', labelNames: ['service', 'instance', 'outcome'] });
  const rate = gauge(registry, { name: 'brink_chat_messages_per_second', help: 'Stored messages per second over the last 10 s', labelNames: ['service', 'instance'] });
  const ack = histogram(registry, { name: 'brink_chat_message_ack_seconds', help: 'message:send received to ack sent (validation, rate limit, membership, INSERT)', labelNames: ['service', 'instance'], buckets: ACK_BUCKETS_S });
  const lookups = counter(registry, { name: 'brink_chat_membership_lookups_total', help: 'Conversation membership answers by source (l1, redis, db): CP-3 evidence', labelNames: ['service', 'instance', 'source'] });
  const queueDepth = gauge(registry, { name: 'brink_notifications_queue_depth', help: 'Messages ready in each notifications queue (null queues absent)', labelNames: ['queue'] });
  const dlq = gauge(registry, { name: 'brink_notifications_dlq_messages', help: 'Messages in the notifications dead-letter queue', labelNames: [] });

  const stored: number[] = [];
  let storedTotal = 0;
  const ticker = setInterval(() => {
    stored.push(storedTotal);
    if (stored.length > 11) stored.shift();
    rate.set(labels, stored.length > 1 ? (stored[stored.length - 1]! - stored[0]!) / (stored.length - 1) : 0);
  }, 1_000);
  ticker.unref();

  return {
    setSockets: (n: number) => sockets.set(labels, n),
    sent(outcome: string, ackSeconds: number): void {
      messages.inc({ ...labels, outcome });
      if (outcome === 'ok') storedTotal++;
      ack.observe(labels, ackSeconds);
    },
    membershipLookup: (source: string) => lookups.inc({ ...labels, source }),
    setQueue(queue: string, depth: number): void {
      queueDepth.set({ queue }, depth);
    },
    setDlq: (n: number) => dlq.set(n),
    stop: () => clearInterval(ticker),
  };
}

export type ChatMetrics = ReturnType<typeof chatMetrics>;
