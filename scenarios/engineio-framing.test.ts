import { describe, expect, it } from 'vitest';
import { connectFrame, decodeFrame, eventFrame, socketUrl } from './k6/lib/socketio.js';

describe('Engine.IO v4 / Socket.IO v5 framing (k6/lib/socketio.js)', () => {
  it('builds the websocket URL of the default /socket.io/ path', () => {
    expect(socketUrl('http://127.0.0.1:8080')).toBe('ws://127.0.0.1:8080/socket.io/?EIO=4&transport=websocket');
    expect(socketUrl('https://h.test/')).toBe('wss://h.test/socket.io/?EIO=4&transport=websocket');
  });

  it('encodes connect with auth, events and events wanting an ack', () => {
    expect(connectFrame({ token: 'abc' })).toBe('40{"token":"abc"}');
    expect(eventFrame('message:send', { conversationId: 7, body: 'hi' })).toBe('42["message:send",{"conversationId":7,"body":"hi"}]');
    expect(eventFrame('message:send', { a: 1 }, 12)).toBe('4212["message:send",{"a":1}]');
  });

  it('decodes the handshake, pings, connect, acks, events and errors', () => {
    expect(decodeFrame('0{"sid":"x","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}')).toMatchObject({ kind: 'eio-open', sid: 'x', pingInterval: 25000 });
    expect(decodeFrame('2')).toEqual({ kind: 'ping' });
    expect(decodeFrame('3')).toEqual({ kind: 'pong' });
    expect(decodeFrame('40{"sid":"s1"}')).toEqual({ kind: 'connect', sid: 's1' });
    expect(decodeFrame('4312[{"ok":true,"id":5,"createdAt":"t"}]')).toEqual({ kind: 'ack', id: 12, args: [{ ok: true, id: 5, createdAt: 't' }] });
    expect(decodeFrame('42["message:new",{"id":1,"clientTs":5}]')).toEqual({ kind: 'event', name: 'message:new', args: [{ id: 1, clientTs: 5 }], id: undefined });
    expect(decodeFrame('427["ping?",1]')).toEqual({ kind: 'event', name: 'ping?', args: [1], id: 7 });
    expect(decodeFrame('44{"message":"UNAUTHENTICATED"}')).toEqual({ kind: 'connect-error', message: 'UNAUTHENTICATED' });
    expect(decodeFrame('41')).toEqual({ kind: 'disconnect' });
    expect(decodeFrame('6')).toEqual({ kind: 'unknown', text: '6' });
  });

  it('skips a namespace prefix', () => {
    expect(decodeFrame('42/chat,["x",1]')).toMatchObject({ kind: 'event', name: 'x', args: [1] });
  });
});
