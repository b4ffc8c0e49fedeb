import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { io as connectClient, type Socket } from 'socket.io-client';
import { client, openPlatform, register, type TestPlatform } from './int-fixture.ts';

const stack = inject('stack');

describe('chat through the gateway', () => {
  let t: TestPlatform;
  const sockets: Socket[] = [];
  beforeAll(async () => {
    t = await openPlatform(stack, 'ws', { realtime: true, chatInstances: 2 });
  });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await t?.close();
  });

  function connect(token: string, transports: ('websocket' | 'polling')[] = ['websocket']): Promise<{ socket: Socket; ready: { userId: number; instanceId: string } }> {
    return new Promise((resolve, reject) => {
      const socket = connectClient(t.platform.services.gateway!, { auth: { token }, transports, reconnection: false, forceNew: true });
      sockets.push(socket);
      const timer = setTimeout(() => reject(new Error('no session:ready within 10 s')), 10_000);
      socket.once('session:ready', (ready) => (clearTimeout(timer), resolve({ socket, ready })));
      socket.once('connect_error', (e) => (clearTimeout(timer), reject(e)));
    });
  }

  it('proxies the WebSocket upgrade on /socket.io to the chat instances, round-robin', async () => {
    const a = await register(t.platform.services.gateway!, 'wsa', '192.0.2.50');
    const first = await connect(a.accessToken);
    const second = await connect(a.accessToken);
    expect(first.ready.userId).toBe(a.userId);
    expect(new Set([first.ready.instanceId, second.ready.instanceId]).size).toBe(2);
  });

  it('serves a Socket.IO session that starts with long-polling and upgrades to a WebSocket', async () => {
    const a = await register(t.platform.services.gateway!, 'wspoll', '192.0.2.53');
    const { socket, ready } = await connect(a.accessToken, ['polling', 'websocket']);
    expect(ready.userId).toBe(a.userId);
    if (socket.io.engine.transport.name !== 'websocket') await new Promise((r) => socket.io.engine.once('upgrade', r));
    expect(socket.io.engine.transport.name).toBe('websocket');
  });

  it('forwards the chat HTTP API with the caller id and delivers a message sent over the proxied socket', async () => {
    const gw = t.platform.services.gateway!;
    const a = await register(gw, 'wsb', '192.0.2.51');
    const b = await register(gw, 'wsc', '192.0.2.52');
    const conv = await client(gw)('POST', '/api/conversations', { token: a.accessToken, body: { memberIds: [b.userId] } });
    expect(conv.status).toBe(201);
    const { socket } = await connect(a.accessToken);
    const ack = await socket.timeout(10_000).emitWithAck('message:send', { conversationId: conv.body.id, body: 'through the gateway', clientTs: Date.now() });
    expect(ack).toMatchObject({ ok: true });
    const history = await client(gw)('GET', `/api/conversations/${conv.body.id}/messages`, { token: b.accessToken });
    expect(history.status).toBe(200);
    expect(JSON.stringify(history.body)).toContain('through the gateway');
  });
});
