import { describe, expect, it } from 'vitest';
import { retryPublishOptions } from './delivery.ts';
import { ATTEMPT_HEADER } from './retry-policy.ts';

describe('retry copy of a failed notification', () => {
  it('keeps id, type and headers, expires after the delay and carries the next try', () => {
    const o = retryPublishOptions({ messageId: 'ev-1', contentType: 'application/json', headers: { [ATTEMPT_HEADER]: 1, 'x-source': 'posts' } }, 2, 4_000, 'db down');
    expect(o).toEqual({
      persistent: true,
      expiration: '4000',
      messageId: 'ev-1',
      contentType: 'application/json',
      headers: { [ATTEMPT_HEADER]: 2, 'x-source': 'posts', 'x-brink-last-error': 'db down' },
    });
  });

  it('works without headers and cuts a long reason to 300 characters', () => {
    const o = retryPublishOptions({ messageId: undefined, contentType: undefined, headers: undefined }, 3, 16_000, 'x'.repeat(1_000));
    expect(o.headers).toEqual({ [ATTEMPT_HEADER]: 3, 'x-brink-last-error': 'x'.repeat(300) });
  });
});
