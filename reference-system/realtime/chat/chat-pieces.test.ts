import { describe, expect, it } from 'vitest';
import { handshakeToken } from './socket-auth.ts';
import { splitAck } from './socket-session.ts';
import { messageCreatedEvent } from './message-created.ts';
import { readiness } from './ops-routes.ts';

describe('socket handshake token', () => {
  it('takes a non-empty string token and nothing else', () => {
    expect(handshakeToken({ token: 'abc' })).toBe('abc');
    expect(handshakeToken({ token: '' })).toBeNull();
    expect(handshakeToken({ token: 42 })).toBeNull();
    expect(handshakeToken({})).toBeNull();
    expect(handshakeToken(undefined)).toBeNull();
    expect(handshakeToken(null)).toBeNull();
  });
});

describe('event arguments and ack', () => {
  const ack = () => undefined;
  it('takes the payload first and the ack last', () => {
    expect(splitAck([{ conversationId: 1 }, ack])).toEqual({ payload: { conversationId: 1 }, ack });
  });

  it('has no payload when the only argument is the ack, and no ack when the client sent none', () => {
    expect(splitAck([ack])).toEqual({ payload: undefined, ack });
    expect(splitAck([{ conversationId: 1 }])).toEqual({ payload: { conversationId: 1 }, ack: undefined });
    expect(splitAck([])).toEqual({ payload: undefined, ack: undefined });
  });
});

describe('message.created event', () => {
  const m = { id: 41, conversationId: 7, senderId: 3, body: 'hi', createdAt: '2026-01-01T00:00:00.000Z', clientTs: null };

  it('names the sender as actor and derives its id from the message, so a republish dedupes', () => {
    const ev = messageCreatedEvent(m, [4, 5]);
    expect(ev).toMatchObject({ id: 'message.created:41', type: 'message.created', recipients: [4, 5], payload: { ...m, actorId: 3 } });
  });

  it('is not sent when nobody else is in the conversation', () => {
    expect(messageCreatedEvent(m, [])).toBeNull();
  });
});

describe('readiness', () => {
  it('is 200 only when every dependency answered', () => {
    expect(readiness('chat-1', { postgres: true, redis: true, rabbitmq: true })).toEqual({ status: 200, body: { ready: true, instanceId: 'chat-1', checks: { postgres: true, redis: true, rabbitmq: true } } });
    expect(readiness('chat-1', { postgres: true, redis: false, rabbitmq: true })).toMatchObject({ status: 503, body: { ready: false } });
  });
});
