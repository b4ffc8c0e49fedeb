/** Declaring a notification topology (amqp/topology.ts) on a channel: exchanges, queues, bindings. */
import type { Channel } from 'amqplib';
import type { NotificationTopology } from './topology.ts';

export async function declareTopology(ch: Channel, t: NotificationTopology): Promise<void> {
  await ch.assertExchange(t.exchange, 'topic', { durable: true });
  if (t.deadLetter) {
    await ch.assertExchange(t.deadLetter.exchange, 'direct', { durable: true });
    await ch.assertQueue(t.deadLetter.queue.name, t.deadLetter.queue.options);
    await ch.bindQueue(t.deadLetter.queue.name, t.deadLetter.exchange, t.deadLetter.routingKey);
  }
  await ch.assertQueue(t.mainQueue.name, t.mainQueue.options);
  for (const key of t.bindingKeys) await ch.bindQueue(t.mainQueue.name, t.exchange, key);
  for (const q of t.retryQueues) await ch.assertQueue(q.name, q.options);
}
