import { describe, expect, it } from 'vitest';
import { cachedTokenVerifier, newSecret, signAccessToken } from './tokens.ts';

describe('cachedTokenVerifier', () => {
  it('accepts a valid token, again from its cache, and forgets it when it expires', async () => {
    const secret = newSecret();
    let now = Date.now();
    const verify = cachedTokenVerifier(secret, { now: () => now });
    const token = await signAccessToken(secret, 42, 60);
    expect(await verify(token)).toEqual({ userId: 42 });
    expect(await verify(token)).toEqual({ userId: 42 });
    now += 61_000;
    expect(await verify(token)).toBeNull();
  });

  it('rejects tokens signed with another secret and garbage, every time', async () => {
    const verify = cachedTokenVerifier(newSecret());
    const foreign = await signAccessToken(newSecret(), 7);
    expect(await verify(foreign)).toBeNull();
    expect(await verify(foreign)).toBeNull();
    expect(await verify('not.a.jwt')).toBeNull();
  });

  it('keeps at most maxEntries tokens', async () => {
    const secret = newSecret();
    const verify = cachedTokenVerifier(secret, { maxEntries: 2 });
    const tokens = await Promise.all([1, 2, 3].map((id) => signAccessToken(secret, id)));
    for (const t of tokens) await verify(t);
    // The first one was evicted, but is still valid: verified again, not refused.
    expect(await verify(tokens[0]!)).toEqual({ userId: 1 });
  });
});
