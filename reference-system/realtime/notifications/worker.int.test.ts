import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import amqp from 'amqplib';
import { createLogger } from '../../shared/logger.ts';
import { newWireEvent, openConfirmPublisher, startChatInstance, startNotificationsWorker, type ConfirmPublisher, type PushedNotification } from '../index.ts';
import { eventually, nextEvent, openFixture, type Fixture } from '../int-test-fixture.ts';
import { ATTEMPT_HEADER } from './retry-policy.ts';

const stack = inject('stack');
const log = createLogger({ name: 'test-publisher', level: 'error' });

function publisherFor(f: Fixture, url: string): ConfirmPublisher {
  const p = openConfirmPublisher({ url, name: 'test-publisher', log, timeoutMs: 30_000, setup: async (_c, ch) => void (await ch.assertExchange(`${f.namespace}brink.events`, 'topic', { durable: true })) });
  f.own(() => p.stop());
  return p;
}

function publishEvent(f: Fixture, p: ConfirmPublisher, type: string, recipients: number[], payload: Record<string, unknown>, id?: string): Promise<string> {
  const e = newWireEvent(type, recipients, payload, id);
  return p.publish(`${f.namespace}brink.events`, type, Buffer.from(JSON.stringify(e)), { messageId: e.id }).then(() => e.id);
}

const countNotifications = async (f: Fixture, like = '%') => (await f.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM notifications WHERE event_id LIKE $1', [like])).rows[0]!.n;

describe('notifications worker (amqp-reliability on)', () => {
  let f: Fixture;
  let worker: Awaited<ReturnType<typeof startNotificationsWorker>>;
  let publisher: ConfirmPublisher;

  beforeAll(async () => {
    f = await openFixture(stack, 'notif', 'optimized', { notificationRetryBaseDelayMs: 100 });
    worker = await startNotificationsWorker(f.options());
    f.own(worker.stop);
    await worker.ready(30_000);
    publisher = publisherFor(f, stack.urls.amqp);
  });
  afterAll(async () => f?.close());

  it('stores a notification and pushes it to the user connected to a chat instance', async () => {
    const [author, reader] = (await f.users(2)) as [number, number];
    const chat = await startChatInstance(f.options());
    f.own(chat.stop);
    const socket = await f.client(chat.url, reader);
    const pushed = nextEvent<PushedNotification>(socket, 'notification', 10_000);
    const id = await publishEvent(f, publisher, 'comment.created', [reader], { postId: 1, commentId: 2, actorId: author });
    const n = await pushed;
    expect(n).toMatchObject({ kind: 'comment.created', payload: { postId: 1, commentId: 2, actorId: author, eventId: id } });
    const rows = (await f.pool.query('SELECT user_id, kind FROM notifications WHERE event_id = $1', [`${id}#${reader}`])).rows;
    expect(rows).toEqual([{ user_id: String(reader), kind: 'comment.created' }]);
  });

  it('inserts nothing twice when the same event is delivered again', async () => {
    const [u, follower] = (await f.users(2)) as [number, number];
    await publishEvent(f, publisher, 'follow.created', [u], { followerId: follower }, 'dup-event-1');
    await publishEvent(f, publisher, 'follow.created', [u], { followerId: follower }, 'dup-event-1');
    await eventually(async () => worker.stats.duplicates >= 1, 10_000, 'second delivery seen');
    expect(await countNotifications(f, 'dup-event-1#%')).toBe(1);
  });

  it('dead-letters a poison message after 3 tries', async () => {
    const retriedBefore = worker.stats.retried;
    // A recipient that does not exist: the insert violates the foreign key on every try.
    await publishEvent(f, publisher, 'comment.created', [987_654_321], { postId: 1 }, 'poison-1');
    const conn = await amqp.connect(stack.urls.amqp);
    f.own(() => conn.close());
    const ch = await conn.createChannel();
    const dlq = `${f.namespace}notifications.dlq`;
    await eventually(async () => (await ch.checkQueue(dlq)).messageCount === 1, 20_000, 'poison message in the DLQ');
    const dead = await ch.get(dlq, { noAck: true });
    expect(dead && dead.properties.messageId).toBe('poison-1');
    expect(dead && dead.properties.headers?.[ATTEMPT_HEADER]).toBe(3);
    expect(worker.stats.retried - retriedBefore).toBe(2);
    expect(worker.stats.deadLettered).toBe(1);
  });

  it('dead-letters an unparseable message after 3 tries', async () => {
    const conn = await amqp.connect(stack.urls.amqp);
    f.own(() => conn.close());
    const ch = await conn.createConfirmChannel();
    ch.publish(`${f.namespace}brink.events`, 'comment.created', Buffer.from('{not json'), { messageId: 'garbage-1', persistent: true });
    await ch.waitForConfirms();
    const dlq = `${f.namespace}notifications.dlq`;
    await eventually(async () => (await ch.checkQueue(dlq)).messageCount === 1, 20_000, 'unparseable message in the DLQ');
    const dead = await ch.get(dlq, { noAck: true });
    expect(dead && dead.properties.headers?.[ATTEMPT_HEADER]).toBe(3);
  });
});

describe('notifications through a RabbitMQ outage', () => {
  let f: Fixture;
  const toxiproxy = (enabled: boolean) =>
    fetch(`${stack.urls.toxiproxy}/proxies/rabbitmq`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ enabled }) }).then((r) => {
      if (!r.ok) throw new Error(`toxiproxy answered ${r.status}`);
    });

  beforeAll(async () => {
    f = await openFixture(stack, 'notif_outage', 'optimized', { notificationRetryBaseDelayMs: 100 });
  });
  afterEach(async () => toxiproxy(true));
  afterAll(async () => f?.close());

  it('loses no acknowledged notification when RabbitMQ is unreachable for a few seconds', async () => {
    const worker = await startNotificationsWorker(f.options({ amqpUrl: stack.urls.amqpProxied }));
    f.own(worker.stop);
    await worker.ready(30_000);
    const publisher = publisherFor(f, stack.urls.amqpProxied);
    const [u, follower] = (await f.users(2)) as [number, number];

    const confirmed: string[] = [];
    const failed: string[] = [];
    const sends: Promise<void>[] = [];
    let sentDuringOutage = 0;
    let outage = false;
    for (let i = 0; i < 40; i++) {
      if (i === 10) {
        await toxiproxy(false);
        outage = true;
      }
      if (i === 25) {
        await new Promise((r) => setTimeout(r, 1_000));
        await toxiproxy(true);
        outage = false;
      }
      if (outage) sentDuringOutage++;
      const id = `outage-${i}`;
      sends.push(publishEvent(f, publisher, 'follow.created', [u], { followerId: follower }, id).then(() => void confirmed.push(id), () => void failed.push(id)));
      await new Promise((r) => setTimeout(r, 150));
    }
    await Promise.all(sends);
    expect(sentDuringOutage).toBe(15);
    expect(failed).toEqual([]);
    expect(confirmed).toHaveLength(40);
    await eventually(async () => (await countNotifications(f, 'outage-%')) === confirmed.length, 30_000, 'every confirmed event stored');
    expect(worker.connects).toBeGreaterThan(1);
  });
});

describe('notifications worker (amqp-reliability off, as found)', () => {
  let f: Fixture;
  afterAll(async () => f?.close());

  it('auto-acks, so a message whose handling fails is gone: no retry, no DLQ', async () => {
    f = await openFixture(stack, 'notif_base', 'baseline');
    const worker = await startNotificationsWorker(f.options());
    f.own(worker.stop);
    await worker.ready(30_000);
    expect(worker.topology()).toMatchObject({ reliable: false, prefetch: 0, manualAck: false, mainQueue: { name: `${f.namespace}notifications` } });
    const publisher = publisherFor(f, stack.urls.amqp);
    await publishEvent(f, publisher, 'comment.created', [987_654_321], { postId: 1 }, 'lost-1');
    await eventually(async () => worker.stats.lost === 1, 10_000, 'failure counted');
    const conn = await amqp.connect(stack.urls.amqp);
    f.own(() => conn.close());
    const ch = await conn.createChannel();
    expect((await ch.checkQueue(`${f.namespace}notifications`)).messageCount).toBe(0);
    expect(worker.stats.retried).toBe(0);
  });
});
