import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startChatInstance } from '../index.ts';
import { emitAck, nextEvent, openFixture, type Fixture } from '../int-test-fixture.ts';
import type { NewMessage, SendAck } from '../index.ts';

// CP-1 / NF-8: with two chat instances, a member connected to the other instance receives a message
// only through the Socket.IO Redis adapter. The switch is flipped live on the same two instances.
describe('delivery across two chat instances', () => {
  let f: Fixture;
  let urls: [string, string];
  let alice: number, bob: number;
  let conv: number;

  beforeAll(async () => {
    f = await openFixture(inject('stack'), 'chat_cross', 'optimized');
    const a = await startChatInstance(f.options({ instanceId: 'chat-a' }));
    f.own(a.stop);
    const b = await startChatInstance(f.options({ instanceId: 'chat-b' }));
    f.own(b.stop);
    urls = [a.url, b.url];
    [alice, bob] = (await f.users(2)) as [number, number];
    conv = await f.conversation([alice, bob]);
  });
  afterAll(async () => f?.close());

  async function sendAcross(body: string): Promise<{ ack: SendAck; received: NewMessage | null }> {
    const onA = await f.client(urls[0], alice);
    const onB = await f.client(urls[1], bob);
    const received = nextEvent<NewMessage>(onB, 'message:new', 2_000);
    const ack = await emitAck<SendAck>(onA, 'message:send', { conversationId: conv, body, clientTs: Date.now() });
    const out = { ack, received: await received };
    onA.disconnect();
    onB.disconnect();
    return out;
  }

  it('delivers to a member on the other instance with socketio-redis-adapter on', async () => {
    f.switches['socketio-redis-adapter'] = true;
    const { ack, received } = await sendAcross('via redis');
    expect(ack.ok).toBe(true);
    expect(received).toMatchObject({ body: 'via redis', senderId: alice, conversationId: conv });
  });

  it('loses the message for a member on the other instance with it off (stored and acked all the same)', async () => {
    f.switches['socketio-redis-adapter'] = false;
    const { ack, received } = await sendAcross('in memory only');
    expect(ack.ok).toBe(true);
    expect(received).toBeNull();
    const stored = await f.pool.query('SELECT 1 FROM messages WHERE conversation_id = $1 AND body = $2', [conv, 'in memory only']);
    expect(stored.rowCount).toBe(1);
  });

  it('still delivers to a member on the same instance with it off', async () => {
    f.switches['socketio-redis-adapter'] = false;
    const onA = await f.client(urls[0], alice);
    const alsoOnA = await f.client(urls[0], bob);
    const received = nextEvent<NewMessage>(alsoOnA, 'message:new', 2_000);
    await emitAck<SendAck>(onA, 'message:send', { conversationId: conv, body: 'same instance' });
    expect((await received)?.body).toBe('same instance');
  });
});
