/**
 * Stampede protection for feed rebuilds (NV-9). On a cache miss, one caller takes a Redis lock
 * (SET NX PX) and rebuilds; it also writes a stale copy that outlives the cache entry. Callers that
 * find the lock taken poll for the holder's result (up to waitMs); if it does not come, they serve
 * the stale copy, and only if there is none do they rebuild themselves, so a dead lock holder costs
 * at most waitMs and never an error. The holder's result is recognised by its lock token, so no
 * clocks are compared across processes. If Redis itself fails, the caller just rebuilds: the
 * lock is an optimisation, and the cache layer already falls back to loading (LC-1).
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

export interface StampedeOptions {
  /** How long the lock holds if its owner dies mid-rebuild. */
  lockTtlMs: number;
  /**
   * A caller that gets the lock first looks for a copy rebuilt this recently (measured on Redis's
   * clock, from the copy's remaining TTL): it missed the cache only because the previous holder's
   * result was not written there yet, and rebuilding again would be the stampede's second load.
   */
  justRebuiltMs: number;
  /** How long the stale copy lives (longer than the cache entry it backs up). */
  staleTtlS: number;
  /** How long a caller waits for the holder's result before falling back. */
  waitMs: number;
  pollMs: number;
}

export const FEED_STAMPEDE: StampedeOptions = { lockTtlMs: 5_000, justRebuiltMs: 1_000, staleTtlS: 20 * 60, waitMs: 200, pollMs: 20 };

/**
 * How a caller got its value: it rebuilt under the lock; it took the lock but found a copy rebuilt
 * a moment ago; it waited for the holder's result; it fell back to the stale copy; it rebuilt
 * without the lock because the holder produced nothing in time and there was no stale copy; or
 * Redis failed and it rebuilt without any of this.
 */
export type StampedeSource = 'rebuilt' | 'just-rebuilt' | 'waited' | 'stale' | 'rebuilt-without-lock' | 'redis-unavailable';

export const lockKeyOf = (key: string): string => `lock:${key}`;
export const staleKeyOf = (key: string): string => `stale:${key}`;

interface StaleEntry<T> {
  token: string;
  value: T;
}

// Deletes the lock only if this caller still owns it (it may have expired and been re-taken).
const RELEASE_LUA = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

export async function loadWithStampedeLock<T>(
  redis: Redis,
  key: string,
  load: () => Promise<T>,
  opts: StampedeOptions = FEED_STAMPEDE,
): Promise<{ value: T; source: StampedeSource }> {
  const token = randomUUID();
  const lockKey = lockKeyOf(key);
  let acquired: string | null;
  try {
    acquired = await redis.set(lockKey, token, 'PX', opts.lockTtlMs, 'NX');
  } catch {
    return { value: await load(), source: 'redis-unavailable' };
  }
  if (acquired === 'OK') return rebuildAsHolder(redis, key, token, load, opts);
  let fallback: { value: T; source: StampedeSource } | undefined;
  try {
    const holder = await redis.get(lockKey);
    const fresh = await waitForHolder<T>(redis, key, holder, opts);
    if (fresh !== undefined) return { value: fresh, source: 'waited' };
    const stale = await readStale<T>(redis, key);
    if (stale !== undefined) fallback = { value: stale.value, source: 'stale' };
  } catch {
    return { value: await load(), source: 'redis-unavailable' };
  }
  return fallback ?? { value: await load(), source: 'rebuilt-without-lock' };
}

async function rebuildAsHolder<T>(redis: Redis, key: string, token: string, load: () => Promise<T>, opts: StampedeOptions): Promise<{ value: T; source: StampedeSource }> {
  try {
    const recent = await readJustRebuilt<T>(redis, key, opts).catch(() => undefined);
    if (recent !== undefined) return { value: recent.value, source: 'just-rebuilt' };
    const value = await load();
    const entry: StaleEntry<T> = { token, value };
    // Best effort: without the copy, waiters fall back to rebuilding themselves.
    await redis.set(staleKeyOf(key), JSON.stringify(entry), 'EX', opts.staleTtlS).catch(() => undefined);
    return { value, source: 'rebuilt' };
  } finally {
    // Best effort too: an unreleased lock expires after lockTtlMs.
    await redis.eval(RELEASE_LUA, 1, lockKeyOf(key), token).catch(() => undefined);
  }
}

/**
 * Polls for the stale copy written by `holder` (the lock's owner when we looked). If the lock was
 * already released when we looked (holder null), whatever copy is there was just written.
 * Gives up early when the lock disappears without the holder's copy (the holder failed).
 */
async function waitForHolder<T>(redis: Redis, key: string, holder: string | null, opts: StampedeOptions): Promise<T | undefined> {
  const deadline = Date.now() + opts.waitMs;
  for (let attempt = 0; attempt < Math.ceil(opts.waitMs / opts.pollMs) + 1; attempt++) {
    const entry = await readStale<T>(redis, key);
    if (entry !== undefined && (holder === null || entry.token === holder)) return entry.value;
    if (holder === null || Date.now() >= deadline) return undefined;
    if ((await redis.exists(lockKeyOf(key))) === 0) {
      const last = await readStale<T>(redis, key);
      return last !== undefined && last.token === holder ? last.value : undefined;
    }
    await new Promise((r) => setTimeout(r, opts.pollMs));
  }
  return undefined;
}

async function readJustRebuilt<T>(redis: Redis, key: string, opts: StampedeOptions): Promise<StaleEntry<T> | undefined> {
  const [[, raw], [, pttl]] = (await redis.multi().get(staleKeyOf(key)).pttl(staleKeyOf(key)).exec()) as [[unknown, string | null], [unknown, number]];
  if (raw === null || pttl < 0) return undefined;
  const ageMs = opts.staleTtlS * 1000 - pttl;
  return ageMs <= opts.justRebuiltMs ? parseEntry<T>(raw) : undefined;
}

async function readStale<T>(redis: Redis, key: string): Promise<StaleEntry<T> | undefined> {
  const raw = await redis.get(staleKeyOf(key));
  return raw === null ? undefined : parseEntry<T>(raw);
}

function parseEntry<T>(raw: string): StaleEntry<T> | undefined {
  try {
    return JSON.parse(raw) as StaleEntry<T>;
  } catch {
    return undefined;
  }
}
