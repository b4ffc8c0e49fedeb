/**
 * JWT verification for the routes that need a caller: the bearer token's user id goes to
 * res.locals.userId (forwarded to the service in USER_ID_HEADER); a missing or bad token is 401.
 */
import type { RequestHandler } from 'express';
import { ApiError } from '../shared/api-errors.ts';
import { cachedTokenVerifier, verifyAccessToken, type TokenVerifier } from '../shared/tokens.ts';

/**
 * Verified tokens are remembered until they expire (issue 14 profile); BRINK_GATEWAY_TOKEN_CACHE=off
 * verifies every request again, for a benchmark's before/after.
 */
export function tokenVerifier(secret: string, cache = process.env.BRINK_GATEWAY_TOKEN_CACHE !== 'off'): TokenVerifier {
  return cache ? cachedTokenVerifier(secret) : (t) => verifyAccessToken(secret, t);
}

/** The token of an `Authorization: Bearer <token>` header, else undefined. */
export function bearerToken(authorization: string | undefined): string | undefined {
  return /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
}

/** The caller's user id, or the 401 that names what is wrong with its credentials. */
export async function authenticatedUser(authorization: string | undefined, verify: TokenVerifier): Promise<number | ApiError> {
  const token = bearerToken(authorization);
  if (!token) return new ApiError('UNAUTHENTICATED', 'missing bearer token (Authorization: Bearer <accessToken>)');
  const claims = await verify(token);
  return claims ? claims.userId : new ApiError('UNAUTHENTICATED', 'access token is invalid or expired');
}

export function authenticate(verify: TokenVerifier): RequestHandler {
  return async (req, res, next) => {
    const user = await authenticatedUser(req.get('authorization'), verify);
    if (user instanceof ApiError) return next(user);
    res.locals.userId = user;
    next();
  };
}
