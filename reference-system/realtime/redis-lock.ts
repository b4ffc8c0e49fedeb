/**
 * A Redis lock for jobs that only one instance may run at a time (CP-7's story cleanup): SET NX PX
 * with a random token; extend and release only if the token is still ours (compare-and-set in Lua),
 * so an instance whose lock expired never deletes the next holder's lock.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

const RELEASE_LUA = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;
const EXTEND_LUA = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`;

export interface HeldLock {
  key: string;
  token: string;
  /** false when the lock was lost (expired and taken by someone else). */
  extend(ttlMs: number): Promise<boolean>;
  release(): Promise<boolean>;
}

export async function tryLock(redis: Redis, key: string, ttlMs: number): Promise<HeldLock | null> {
  const token = randomUUID();
  const ok = await redis.set(key, token, 'PX', ttlMs, 'NX');
  if (ok !== 'OK') return null;
  return {
    key,
    token,
    extend: async (ms) => (await redis.eval(EXTEND_LUA, 1, key, token, ms)) === 1,
    release: async () => (await redis.eval(RELEASE_LUA, 1, key, token)) === 1,
  };
}
