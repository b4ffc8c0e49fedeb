import { describe, expect, it } from 'vitest';
import { ApiError } from '../shared/api-errors.ts';
import { signAccessToken } from '../shared/tokens.ts';
import { authenticatedUser, bearerToken, tokenVerifier } from './auth.ts';

const SECRET = 'a-test-secret-of-at-least-32-bytes!!';

describe('the bearer token of an Authorization header', () => {
  it('is read case-insensitively after any whitespace, and nothing else passes as one', () => {
    expect(bearerToken('Bearer abc.def.ghi')).toBe('abc.def.ghi');
    expect(bearerToken('bearer \t abc')).toBe('abc');
    expect(bearerToken(undefined)).toBeUndefined();
    expect(bearerToken('')).toBeUndefined();
    expect(bearerToken('Basic dXNlcjpwYXNz')).toBeUndefined();
    expect(bearerToken('Bearer')).toBeUndefined();
    expect(bearerToken('Bearer two tokens')).toBeUndefined();
  });
});

describe('authenticating a caller', () => {
  for (const cache of [true, false]) {
    it(`finds the user of a valid token and answers 401 naming the problem otherwise (token cache ${cache ? 'on' : 'off'})`, async () => {
      const verify = tokenVerifier(SECRET, cache);
      expect(await authenticatedUser(`Bearer ${await signAccessToken(SECRET, 42)}`, verify)).toBe(42);

      const missing = await authenticatedUser(undefined, verify);
      expect(missing).toBeInstanceOf(ApiError);
      expect((missing as ApiError).toBody()).toEqual({ error: { code: 'UNAUTHENTICATED', message: 'missing bearer token (Authorization: Bearer <accessToken>)' } });

      const forged = await authenticatedUser(`Bearer ${await signAccessToken('another-secret-of-at-least-32-bytes!', 42)}`, verify);
      expect((forged as ApiError).status).toBe(401);
      expect((forged as ApiError).message).toBe('access token is invalid or expired');
      expect(((await authenticatedUser('Bearer not.a.jwt', verify)) as ApiError).message).toBe('access token is invalid or expired');
    });
  }
});
