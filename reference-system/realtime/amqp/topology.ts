/**
 * The notifications queue topology, as data. Baseline (amqp-reliability off) is what the
 * assessments found: one plain queue, no dead-lettering, no TTL, no length limit. Optimized adds a
 * dead-letter exchange and queue, a message TTL, a max length, and one retry queue per retry step
 * (CP-8, CP-9, NF-9).
 *
 * Why two queue names: RabbitMQ refuses to redeclare a queue with different arguments
 * (PRECONDITION_FAILED, and the channel closes). The optimized main queue therefore has its own
 * name, `notifications.v2`, so a broker that ran the baseline can run the optimized variant next
 * (and back) without anyone deleting queues. Both are bound to the same exchange; only the one whose
 * worker runs is consumed, so the other fills up until the variant switches back. Stack-level tooling
 * may purge it.
 */
import type { Options } from 'amqplib';
import type { RealtimeTuning } from '../options.ts';

export const NOTIFICATION_EVENT_TYPES = ['comment.created', 'follow.created', 'message.created'] as const;
export type NotificationEventType = (typeof NOTIFICATION_EVENT_TYPES)[number];

export interface QueueDecl {
  name: string;
  options: Options.AssertQueue;
}

export interface NotificationTopology {
  reliable: boolean;
  exchange: string;
  mainQueue: QueueDecl;
  bindingKeys: readonly string[];
  /** Dead-letter exchange and queue; absent in baseline. */
  deadLetter?: { exchange: string; routingKey: string; queue: QueueDecl };
  /** retryQueues[i] holds messages waiting for try i + 2; they dead-letter back to the main queue when their per-message TTL expires. */
  retryQueues: QueueDecl[];
  /** 0 = unlimited (amqplib's prefetch(0)). */
  prefetch: number;
  /** Manual acks (true) or the broker considers a message handled once sent (false). */
  manualAck: boolean;
}

export interface TopologyParams {
  namespace: string;
  exchange: string;
  reliable: boolean;
  maxAttempts: number;
  messageTtlMs: number;
  maxLength: number;
}

export const RELIABLE_PREFETCH = 10;

/** The topology parameters a process's tuning gives; `reliable` is the caller's (the switch, read per connection). */
export function topologyParams(t: Pick<RealtimeTuning, 'namespace' | 'notificationMaxAttempts' | 'queueMessageTtlMs' | 'queueMaxLength'>, exchange: string): Omit<TopologyParams, 'reliable'> {
  return { namespace: t.namespace, exchange, maxAttempts: t.notificationMaxAttempts, messageTtlMs: t.queueMessageTtlMs, maxLength: t.queueMaxLength };
}

export function notificationTopology(p: TopologyParams): NotificationTopology {
  const ns = p.namespace;
  if (!p.reliable) {
    return {
      reliable: false,
      exchange: p.exchange,
      mainQueue: { name: `${ns}notifications`, options: { durable: true } },
      bindingKeys: NOTIFICATION_EVENT_TYPES,
      retryQueues: [],
      prefetch: 0,
      manualAck: false,
    };
  }
  const main = `${ns}notifications.v2`;
  const dlx = `${ns}brink.events.dlx`;
  const dlqRoutingKey = 'notifications';
  return {
    reliable: true,
    exchange: p.exchange,
    mainQueue: {
      name: main,
      options: {
        durable: true,
        arguments: {
          'x-dead-letter-exchange': dlx,
          'x-dead-letter-routing-key': dlqRoutingKey,
          'x-message-ttl': p.messageTtlMs,
          'x-max-length': p.maxLength,
          // Refuse new messages when full: publishers with confirms see the nack and retry, so a
          // full queue never drops an event the publisher believes was delivered.
          'x-overflow': 'reject-publish',
        },
      },
    },
    bindingKeys: NOTIFICATION_EVENT_TYPES,
    deadLetter: { exchange: dlx, routingKey: dlqRoutingKey, queue: { name: `${ns}notifications.dlq`, options: { durable: true } } },
    // Per-message TTL (set when a message is parked) rather than a queue TTL, so the backoff delay
    // can change without redeclaring; one queue per step keeps equal delays FIFO, so no message
    // waits behind a longer-lived one.
    retryQueues: Array.from({ length: Math.max(0, p.maxAttempts - 1) }, (_, i) => ({
      name: `${main}.retry.${i + 1}`,
      options: { durable: true, arguments: { 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': main } },
    })),
    prefetch: RELIABLE_PREFETCH,
    manualAck: true,
  };
}

/** Every queue name either mode may declare, for metrics and cleanup. */
export function allNotificationQueues(p: Omit<TopologyParams, 'reliable'>): string[] {
  const a = notificationTopology({ ...p, reliable: false });
  const b = notificationTopology({ ...p, reliable: true });
  return [a.mainQueue.name, b.mainQueue.name, ...b.retryQueues.map((q) => q.name), b.deadLetter!.queue.name];
}

/** What a chat instance's /metrics reads: every notifications queue, and which of them is the DLQ. */
export function queuesToWatch(p: Omit<TopologyParams, 'reliable'>): { all: string[]; deadLetter: string } {
  return { all: allNotificationQueues(p), deadLetter: notificationTopology({ ...p, reliable: true }).deadLetter!.queue.name };
}
