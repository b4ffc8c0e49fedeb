import { describe, expect, it } from 'vitest';
import { allNotificationQueues, notificationTopology, queuesToWatch, topologyParams } from './topology.ts';

const params = { namespace: '', exchange: 'brink.events', maxAttempts: 3, messageTtlMs: 86_400_000, maxLength: 100_000 };

describe('notification topology', () => {
  it('is one plain queue with auto-ack and unlimited prefetch in baseline', () => {
    const t = notificationTopology({ ...params, reliable: false });
    expect(t.mainQueue).toEqual({ name: 'notifications', options: { durable: true } });
    expect(t).toMatchObject({ prefetch: 0, manualAck: false, retryQueues: [] });
    expect(t.deadLetter).toBeUndefined();
  });

  it('declares the optimized main queue under another name with DLX, TTL and max length', () => {
    const t = notificationTopology({ ...params, reliable: true });
    expect(t.mainQueue.name).toBe('notifications.v2');
    expect(t.mainQueue.options.arguments).toMatchObject({
      'x-dead-letter-exchange': 'brink.events.dlx',
      'x-dead-letter-routing-key': 'notifications',
      'x-message-ttl': 86_400_000,
      'x-max-length': 100_000,
    });
    expect(t.deadLetter?.queue.name).toBe('notifications.dlq');
    expect(t).toMatchObject({ prefetch: 10, manualAck: true });
  });

  it('has one retry queue per retry, each dead-lettering back to the main queue', () => {
    const t = notificationTopology({ ...params, reliable: true });
    expect(t.retryQueues.map((q) => q.name)).toEqual(['notifications.v2.retry.1', 'notifications.v2.retry.2']);
    for (const q of t.retryQueues) expect(q.options.arguments).toEqual({ 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': 'notifications.v2' });
  });

  it('binds comment, follow and message events', () => {
    expect(notificationTopology({ ...params, reliable: true }).bindingKeys).toEqual(['comment.created', 'follow.created', 'message.created']);
  });

  it('prefixes every queue and exchange with the namespace', () => {
    expect(allNotificationQueues({ ...params, namespace: 't1.' })).toEqual(['t1.notifications', 't1.notifications.v2', 't1.notifications.v2.retry.1', 't1.notifications.v2.retry.2', 't1.notifications.dlq']);
  });

  it('takes its parameters from the tuning', () => {
    const tuning = { namespace: 't1.', notificationMaxAttempts: 4, queueMessageTtlMs: 60_000, queueMaxLength: 500 };
    expect(topologyParams(tuning, 't1.brink.events')).toEqual({ namespace: 't1.', exchange: 't1.brink.events', maxAttempts: 4, messageTtlMs: 60_000, maxLength: 500 });
  });

  it('names the queues a chat instance reports, the DLQ among them', () => {
    const w = queuesToWatch({ ...params, namespace: 't1.', maxAttempts: 2 });
    expect(w).toEqual({ all: ['t1.notifications', 't1.notifications.v2', 't1.notifications.v2.retry.1', 't1.notifications.dlq'], deadLetter: 't1.notifications.dlq' });
  });
});
