import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startChatInstance } from '../index.ts';
import { emitAck, openFixture, type Fixture } from '../int-test-fixture.ts';
import type { SendAck } from '../index.ts';

// CP-3: "cache membership instead of querying it per message". Counted from the instance's
// /metrics (brink_chat_membership_lookups_total{source}), with the switch flipped live.
describe('membership per message', () => {
  let f: Fixture;
  let url: string;

  beforeAll(async () => {
    f = await openFixture(inject('stack'), 'chat_members', 'optimized');
    const chat = await startChatInstance(f.options());
    f.own(chat.stop);
    url = chat.url;
  });
  afterAll(async () => f?.close());

  async function dbLookups(): Promise<number> {
    const text = await (await fetch(`${url}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith('brink_chat_membership_lookups_total') && l.includes('source="db"'));
    return line ? Number(line.split(' ').pop()) : 0;
  }

  async function sendFive(): Promise<number> {
    const [a, b] = (await f.users(2)) as [number, number];
    const conv = await f.conversation([a, b]);
    const s = await f.client(url, a);
    const before = await dbLookups();
    for (let i = 0; i < 5; i++) expect((await emitAck<SendAck>(s, 'message:send', { conversationId: conv, body: `m${i}` })).ok).toBe(true);
    s.disconnect();
    return (await dbLookups()) - before;
  }

  it('queries Postgres once for five messages with membership-cache on', async () => {
    f.switches['membership-cache'] = true;
    expect(await sendFive()).toBe(1);
  });

  it('queries Postgres for every message with it off, as found', async () => {
    f.switches['membership-cache'] = false;
    expect(await sendFive()).toBe(5);
  });
});
