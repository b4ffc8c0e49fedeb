import { describe, expect, it } from 'vitest';
import { newWireEvent, notificationRows, parseWireEvent } from './event-wire.ts';

describe('domain events on the wire', () => {
  it('round-trips an event', () => {
    const e = newWireEvent('comment.created', [2, 3], { postId: 1, actorId: 9 }, 'ev-1');
    const r = parseWireEvent(Buffer.from(JSON.stringify(e)), undefined);
    expect(r).toEqual({ ok: true, event: e });
  });

  it('takes the id from the AMQP messageId when the body has none', () => {
    const r = parseWireEvent(Buffer.from(JSON.stringify({ type: 'follow.created', recipients: [4], payload: {} })), 'mid-7');
    expect(r.ok && r.event.id).toBe('mid-7');
  });

  it('reads the shared publisher\'s shape (publish time in `at`, extra `source`)', () => {
    const body = { id: 'e-9', type: 'comment.created', recipients: [3], payload: { authorId: 1 }, at: '2026-11-23T19:00:00.000Z', source: 'comments' };
    const r = parseWireEvent(Buffer.from(JSON.stringify(body)), 'e-9');
    expect(r).toEqual({ ok: true, event: { id: 'e-9', type: 'comment.created', recipients: [3], payload: { authorId: 1 }, occurredAt: '2026-11-23T19:00:00.000Z' } });
  });

  it('refuses a body that is not JSON', () => {
    expect(parseWireEvent(Buffer.from('{nope'), 'x')).toEqual({ ok: false, reason: 'body is not JSON' });
  });

  it('refuses an event without any id', () => {
    expect(parseWireEvent(Buffer.from(JSON.stringify({ type: 'follow.created', recipients: [4], payload: {} })), undefined)).toEqual({ ok: false, reason: 'event has no id (neither body.id nor messageId)' });
  });

  it('names the bad field', () => {
    const r = parseWireEvent(Buffer.from(JSON.stringify({ id: 'a', type: 'follow.created', recipients: ['x'], payload: {} })), undefined);
    expect(r.ok === false && r.reason.startsWith('recipients.0: ')).toBe(true);
  });

  it('makes one row per distinct recipient, never for the actor, keyed by event id and user', () => {
    const e = newWireEvent('message.created', [5, 5, 6, 9], { senderId: 9 }, 'message.created:1');
    expect(notificationRows(e).map((r) => [r.userId, r.eventId])).toEqual([
      [5, 'message.created:1#5'],
      [6, 'message.created:1#6'],
    ]);
  });
});
