/**
 * Access and refresh tokens. Access tokens are HS256 JWTs (15 min) with the user id in `sub`;
 * the harness mints them with the platform's secret before a load test starts, so scenarios never
 * hit the login rate limit. Refresh tokens are opaque random ids kept in Redis by the auth service.
 */
import { SignJWT, jwtVerify } from 'jose';
import { randomBytes } from 'node:crypto';
import { ExpiringLru } from './lru.ts';

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

/** Verifies signature, issuer and expiry and also returns the expiry (ms since the epoch). */
async function verifyWithExpiry(secret: string, token: string, nowMs: number): Promise<{ claims: AccessClaims; expMs: number } | null> {
  try {
    const { payload } = await jwtVerify(token, key(secret), { issuer: TOKEN_ISSUER, algorithms: ['HS256'], currentDate: new Date(nowMs) });
    const userId = Number(payload.sub);
    if (!Number.isSafeInteger(userId) || userId <= 0 || typeof payload.exp !== 'number') return null;
    return { claims: { userId }, expMs: payload.exp * 1000 };
  } catch {
    return null;
  }
}

export type TokenVerifier = (token: string) => Promise<AccessClaims | null>;

/**
 * A verifier that remembers each valid token until its own expiry, the way API gateways cache
 * verified JWTs: an HMAC check plus JSON parsing per request was 10-15% of the platform's
 * JavaScript thread at 200-800 req/s (issue 14, bench:profile). A token is only cached after a
 * full verification and never outlives its `exp`; invalid tokens are not cached (each is verified
 * again, and answered 401). Bounded, least recently used out first.
 */
export function cachedTokenVerifier(secret: string, opts: { maxEntries?: number; now?: () => number } = {}): TokenVerifier {
  const now = opts.now ?? Date.now;
  const cache = new ExpiringLru<AccessClaims>(opts.maxEntries ?? 10_000, now);
  return async (token) => {
    const hit = cache.get(token);
    if (hit) return hit;
    const v = await verifyWithExpiry(secret, token, now());
    if (!v) return null;
    const ttlMs = v.expMs - now();
    if (ttlMs > 0) cache.set(token, v.claims, ttlMs);
    return ttlMs > 0 ? v.claims : null;
  };
}

export function newRefreshToken(): string {
  return randomBytes(32).toString('base64url');
}

export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}
