import { describe, expect, it } from 'vitest';
import { downstreamBreakers, upstreamGroups } from './downstreams.ts';

describe("the gateway's downstreams", () => {
  it('has a group for each service given a URL, in route order, and a breaker for each group', async () => {
    const groups = upstreamGroups({ chat: ['http://127.0.0.1:4101', 'http://127.0.0.1:4102'], auth: ['http://127.0.0.1:4001'], search: [] });
    let longWindow = false;
    const breakers = downstreamBreakers(groups.keys(), () => longWindow);
    try {
      expect([...groups.keys()]).toEqual(['auth', 'chat']);
      expect(groups.get('chat')!.members.map((m) => m.baseUrl)).toEqual(['http://127.0.0.1:4101', 'http://127.0.0.1:4102']);
      expect(Object.keys(breakers)).toEqual(['auth', 'chat']);
      // The breaker-window switch is read at every call, not at start.
      expect(breakers.auth!.state().counting).toBe('fires');
      longWindow = true;
      expect(breakers.auth!.state().counting).toBe('completions');
    } finally {
      for (const b of Object.values(breakers)) b.shutdown();
      await Promise.all([...groups.values()].map((g) => g.close()));
    }
  });
});
