import { describe, expect, it } from 'vitest';
import { MAX_BODY_CHARS, parseSendMessage } from './message-schema.ts';

describe('message:send payload', () => {
  it('accepts a conversation id, a body and the client timestamp', () => {
    expect(parseSendMessage({ conversationId: 7, body: 'hi', clientTs: 1_700_000_000_000 })).toEqual({ ok: true, value: { conversationId: 7, body: 'hi', clientTs: 1_700_000_000_000 } });
  });

  it('accepts a body of exactly the maximum length', () => {
    expect(parseSendMessage({ conversationId: 1, body: 'x'.repeat(MAX_BODY_CHARS) }).ok).toBe(true);
  });

  it('refuses a body one character over the maximum with body_too_long', () => {
    const r = parseSendMessage({ conversationId: 1, body: 'x'.repeat(MAX_BODY_CHARS + 1) });
    expect(r).toEqual({ ok: false, ack: { ok: false, error: 'body_too_long', message: 'body is longer than 2000 characters' } });
  });

  it('refuses an empty body with body_empty', () => {
    expect(parseSendMessage({ conversationId: 1, body: '' })).toEqual({ ok: false, ack: { ok: false, error: 'body_empty', message: 'body is empty' } });
  });

  it.each([
    ['a string', 'hello'],
    ['null', null],
    ['a string conversation id', { conversationId: '1', body: 'x' }],
    ['a negative conversation id', { conversationId: -1, body: 'x' }],
    ['a fractional conversation id', { conversationId: 1.5, body: 'x' }],
    ['a numeric body', { conversationId: 1, body: 5 }],
  ])('refuses %s with invalid_payload', (_label, raw) => {
    const r = parseSendMessage(raw);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.ack.error).toBe('invalid_payload');
  });

  it('names the failing field in the reason', () => {
    const r = parseSendMessage({ conversationId: 'x', body: 'hi' });
    expect(r.ok === false && r.ack.message.startsWith('conversationId: ')).toBe(true);
  });
});
