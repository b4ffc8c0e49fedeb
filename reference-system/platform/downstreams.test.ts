import { describe, expect, it } from 'vitest';
import { downstreamTargets, groupDownstreams } from './downstreams.ts';

describe('the gateways downstreams', () => {
  it('lists services then chat instances, naming the first chat "chat" and the others chat-<n>', () => {
    const targets = downstreamTargets({ auth: 'http://127.0.0.1:1', posts: 'http://127.0.0.1:2' }, ['http://127.0.0.1:3', 'http://127.0.0.1:4']);
    expect(targets).toEqual([
      { service: 'auth', name: 'auth', url: 'http://127.0.0.1:1' },
      { service: 'posts', name: 'posts', url: 'http://127.0.0.1:2' },
      { service: 'chat', name: 'chat', url: 'http://127.0.0.1:3' },
      { service: 'chat', name: 'chat-2', url: 'http://127.0.0.1:4' },
    ]);
  });

  it('groups base URLs per downstream in order, with no entry for a downstream that has none', () => {
    const grouped = groupDownstreams(downstreamTargets({ auth: 'http://a' }, ['http://c1', 'http://c2']));
    expect(grouped).toEqual({ auth: ['http://a'], chat: ['http://c1', 'http://c2'] });
    expect(groupDownstreams([])).toEqual({});
  });
});
