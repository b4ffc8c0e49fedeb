import { describe, expect, it } from 'vitest';
import { nackReason } from './chat-burst.ts';

describe('chat-burst: why a message was not acknowledged', () => {
  it('names a missing ack no_ack and keeps the server\'s error code otherwise', () => {
    expect(nackReason(undefined)).toBe('no_ack');
    expect(nackReason({ ok: false, error: 'internal_error' })).toBe('internal_error');
    expect(nackReason({ ok: false, error: 'Not A Member!' })).toBe('not_a_member');
    expect(nackReason({ ok: false })).toBe('unknown');
    expect(nackReason({ ok: false, error: { code: 1 } })).toBe('unknown');
  });
});
