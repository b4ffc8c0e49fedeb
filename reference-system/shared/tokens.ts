/**
 * Access and refresh tokens. Access tokens are HS256 JWTs (15 min) with the user id in `sub`;
 * the harness mints them with the platform's secret before a load test starts, so scenarios never
 * hit the login rate limit. Refresh tokens are opaque random ids kept in Redis by the auth service.
 */
import { SignJWT, jwtVerify } from 'jose';
import { randomBytes } from 'node:crypto';

export const ACCESS_TOKEN_TTL_S = 15 * 60;
export const REFRESH_TOKEN_TTL_S = 7 * 24 * 3600;
export const TOKEN_ISSUER = 'brink-reference';

export interface AccessClaims {
  userId: number;
}

const keyCache = new Map<string, Uint8Array>();
function key(secret: string): Uint8Array {
  let k = keyCache.get(secret);
  if (!k) {
    k = new TextEncoder().encode(secret);
    keyCache.set(secret, k);
  }
  return k;
}

export async function signAccessToken(secret: string, userId: number, ttlS = ACCESS_TOKEN_TTL_S): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(String(userId))
    .setIssuer(TOKEN_ISSUER)
    .setIssuedAt()
    .setExpirationTime(`${ttlS}s`)
    .sign(key(secret));
}

/** Verifies signature, issuer and expiry; returns null for any invalid token (callers answer 401). */
export async function verifyAccessToken(secret: string, token: string): Promise<AccessClaims | null> {
  try {
    const { payload } = await jwtVerify(token, key(secret), { issuer: TOKEN_ISSUER, algorithms: ['HS256'] });
    const userId = Number(payload.sub);
    return Number.isSafeInteger(userId) && userId > 0 ? { userId } : null;
  } catch {
    return null;
  }
}

export function newRefreshToken(): string {
  return randomBytes(32).toString('base64url');
}

export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}
