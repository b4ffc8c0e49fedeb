/**
 * Stampede protection for feed rebuilds (NV-9). On a cache miss, callers in one process first
 * share one flight (an in-process promise per key), so a process asks Redis once per miss, not
 * once per request. The flight then takes a Redis lock (SET NX PX) and rebuilds; the holder also
 * writes a stale copy that outlives the cache entry.
 *
 * A caller that finds the lock taken answers at once from the stale copy if there is one (stale
 * while revalidate). Without one it waits for the holder's result, polling, for as long as the lock
 * lives; if the lock disappears without a result (the holder failed or died), the caller tries to
 * take the lock itself. So there is at most one rebuild per key at any time, and a waiter never
 * rebuilds beside a live holder: issue 14 measured what the old "wait 200 ms, then rebuild without
 * the lock" did when a rebuild took 1.4 s (every waiter became a rebuilder, 15 of them filled the
 * pool, and the rest timed out with 503). Only when the whole wait budget is spent does a caller
 * rebuild without the lock. The holder's result is recognised by its lock token, so no clocks are
 * compared across processes. If Redis itself fails, the caller just rebuilds: the lock is an
 * optimisation, and the cache layer already falls back to loading (LC-1).
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
  /** The longest a caller waits for other rebuilders (holders, one after another) before it rebuilds without the lock. */
  waitMs: number;
  pollMs: number;
}

export const FEED_STAMPEDE: StampedeOptions = { lockTtlMs: 5_000, justRebuiltMs: 1_000, staleTtlS: 20 * 60, waitMs: 8_000, pollMs: 25 };

/**
 * How a caller got its value: it rebuilt under the lock; it took the lock but found a copy rebuilt
 * a moment ago; it waited for the holder's result; it answered from the stale copy while another
 * caller rebuilt; it rebuilt without the lock because the whole wait budget went by; Redis failed
 * and it rebuilt without any of this; or it joined a flight already under way in its own process.
 */
export type StampedeSource = 'rebuilt' | 'just-rebuilt' | 'waited' | 'stale' | 'rebuilt-without-lock' | 'redis-unavailable' | 'shared';

export const lockKeyOf = (key: string): string => `lock:${key}`;
export const staleKeyOf = (key: string): string => `stale:${key}`;

interface StaleEntry<T> {
  token: string;
  value: T;
}

// Deletes the lock only if this caller still owns it (it may have expired and been re-taken).
const RELEASE_LUA = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;
// Extends the lock only while this caller owns it: a rebuild slower than lockTtlMs (a loaded
// machine) must not let a second rebuilder in beside a holder that is still working.
const EXTEND_LUA = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;

// One map of flights per Redis client: a client stands for one process's view of the lock.
const flights = new WeakMap<Redis, Map<string, Promise<{ value: unknown; source: StampedeSource }>>>();

export async function loadWithStampedeLock<T>(
  redis: Redis,
  key: string,
  load: () => Promise<T>,
  opts: StampedeOptions = FEED_STAMPEDE,
): Promise<{ value: T; source: StampedeSource }> {
  let mine = flights.get(redis);
  if (!mine) flights.set(redis, (mine = new Map()));
  const running = mine.get(key) as Promise<{ value: T; source: StampedeSource }> | undefined;
  if (running) return { value: (await running).value, source: 'shared' };
  const flight = loadAcrossProcesses(redis, key, load, opts);
  mine.set(key, flight);
  try {
    return await flight;
  } finally {
    mine.delete(key);
  }
}

async function loadAcrossProcesses<T>(redis: Redis, key: string, load: () => Promise<T>, opts: StampedeOptions): Promise<{ value: T; source: StampedeSource }> {
  const token = randomUUID();
  const lockKey = lockKeyOf(key);
  const deadline = Date.now() + opts.waitMs;
  let servedStale = false;
  for (;;) {
    let acquired: string | null;
    try {
      acquired = await redis.set(lockKey, token, 'PX', opts.lockTtlMs, 'NX');
    } catch {
      return { value: await load(), source: 'redis-unavailable' };
    }
    if (acquired === 'OK') return rebuildAsHolder(redis, key, token, load, opts);
    try {
      const holder = await redis.get(lockKey);
      if (!servedStale) {
        servedStale = true;
        const stale = await readStale<T>(redis, key);
        // The holder's own fresh copy counts as "waited"; an older one is served as stale.
        if (stale !== undefined) return { value: stale.value, source: holder === null || stale.token === holder ? 'waited' : 'stale' };
      }
      const fresh = await waitForHolder<T>(redis, key, holder, deadline, opts);
      if (fresh !== undefined) return { value: fresh, source: 'waited' };
    } catch {
      return { value: await load(), source: 'redis-unavailable' };
    }
    // The lock is gone without a result (try to take it), or the budget is spent.
    if (Date.now() >= deadline) return { value: await load(), source: 'rebuilt-without-lock' };
  }
}

async function rebuildAsHolder<T>(redis: Redis, key: string, token: string, load: () => Promise<T>, opts: StampedeOptions): Promise<{ value: T; source: StampedeSource }> {
  try {
    const recent = await readJustRebuilt<T>(redis, key, opts).catch(() => undefined);
    if (recent !== undefined) return { value: recent.value, source: 'just-rebuilt' };
    const keepAlive = setInterval(() => void redis.eval(EXTEND_LUA, 1, lockKeyOf(key), token, opts.lockTtlMs).catch(() => undefined), Math.max(50, opts.lockTtlMs / 2));
    let value: T;
    try {
      value = await load();
    } finally {
      clearInterval(keepAlive);
    }
    const entry: StaleEntry<T> = { token, value };
    // Best effort: without the copy, waiters take the lock after it is released and rebuild.
    await redis.set(staleKeyOf(key), JSON.stringify(entry), 'EX', opts.staleTtlS).catch(() => undefined);
    return { value, source: 'rebuilt' };
  } finally {
    // Best effort too: an unreleased lock expires after lockTtlMs.
    await redis.eval(RELEASE_LUA, 1, lockKeyOf(key), token).catch(() => undefined);
  }
}

/**
 * Polls for the stale copy written by `holder` (the lock's owner when we looked) until the
 * deadline. If the lock was already released when we looked (holder null), whatever copy is there
 * was just written. Returns undefined as soon as the lock disappears without the holder's copy
 * (the holder failed: the caller may take the lock) or the deadline passes.
 */
async function waitForHolder<T>(redis: Redis, key: string, holder: string | null, deadline: number, opts: StampedeOptions): Promise<T | undefined> {
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
