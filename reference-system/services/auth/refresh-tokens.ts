/**
 * Refresh tokens in Redis (CP-4): `rt:<token>` -> user id with a 7-day TTL, and each user's live
 * tokens in `rtu:<user>`. Using a token rotates it: the old one is removed and remembered as
 * revoked (`rtr:<token>`) in the same Lua call, so two concurrent refreshes with one token cannot
 * both succeed. Presenting a revoked token again means it leaked: every live token of that user
 * is revoked (refresh-token family revocation).
 */
import type { Redis } from 'ioredis';
import { newRefreshToken, REFRESH_TOKEN_TTL_S } from '../../shared/tokens.ts';

const CONSUME = `
local uid = redis.call('GET', KEYS[1])
if uid then
  redis.call('DEL', KEYS[1])
  redis.call('SET', KEYS[2], uid, 'EX', ARGV[1])
  return {'ok', uid}
end
local revoked = redis.call('GET', KEYS[2])
if revoked then return {'revoked', revoked} end
return {'unknown', ''}
`;

export type ConsumeResult = { kind: 'ok'; userId: number } | { kind: 'revoked'; userId: number } | { kind: 'unknown' };

export function refreshTokenStore(redis: Redis, ttlS = REFRESH_TOKEN_TTL_S) {
  return {
    async issue(userId: number): Promise<string> {
      const token = newRefreshToken();
      await redis.multi().set(`rt:${token}`, String(userId), 'EX', ttlS).sadd(`rtu:${userId}`, token).expire(`rtu:${userId}`, ttlS).exec();
      return token;
    },

    /** Removes the token and reports whose it was; a second use reports it as revoked. */
    async consume(token: string): Promise<ConsumeResult> {
      const [kind, uid] = (await redis.eval(CONSUME, 2, `rt:${token}`, `rtr:${token}`, String(ttlS))) as [string, string];
      if (kind === 'ok') {
        await redis.srem(`rtu:${uid}`, token);
        return { kind: 'ok', userId: Number(uid) };
      }
      if (kind === 'revoked') return { kind: 'revoked', userId: Number(uid) };
      return { kind: 'unknown' };
    },

    /** Revokes every live refresh token of the user. Returns how many there were. */
    async revokeAll(userId: number): Promise<number> {
      const tokens = await redis.smembers(`rtu:${userId}`);
      const m = redis.multi();
      for (const t of tokens) m.del(`rt:${t}`).set(`rtr:${t}`, String(userId), 'EX', ttlS);
      await m.del(`rtu:${userId}`).exec();
      return tokens.length;
    },

    async revoke(token: string): Promise<boolean> {
      const r = await this.consume(token);
      return r.kind === 'ok';
    },
  };
}
