/**
 * One flush of batched presence (`presence-batching` on): pop the dirty user ids from Redis in
 * chunks, read their latest status from the hash, and write each chunk in ONE
 * UPDATE ... FROM unnest(...) statement.
 */
import type { Redis } from 'ioredis';
import type { Db } from '../../shared/context.ts';

/** How many dirty users one flush statement carries at most (and how many statements one flush may run). */
export const FLUSH_CHUNK = 5_000;
const MAX_CHUNKS_PER_FLUSH = 100;

export type PresenceStatus = 'online' | 'offline';

/** What the status hash holds per user. */
export interface StoredStatus {
  status: PresenceStatus;
  atMs: number;
}

export interface PresenceKeys {
  /** Hash: user id -> StoredStatus JSON. */
  status: string;
  /** Set of user ids changed since the last flush. */
  dirty: string;
}

export const presenceKeys = (redisPrefix: string): PresenceKeys => ({ status: `${redisPrefix}presence:status`, dirty: `${redisPrefix}presence:dirty` });

export interface FlushRows {
  userIds: number[];
  statuses: string[];
  seenAt: string[];
}

/** The UPDATE's three arrays for popped ids and their hash values; an id without a value is skipped. */
export function flushRows(ids: readonly string[], raw: readonly (string | null)[]): FlushRows {
  const rows: FlushRows = { userIds: [], statuses: [], seenAt: [] };
  ids.forEach((id, i) => {
    const v = raw[i];
    if (!v) return;
    const s = JSON.parse(v) as StoredStatus;
    rows.userIds.push(Number(id));
    rows.statuses.push(s.status);
    rows.seenAt.push(new Date(s.atMs).toISOString());
  });
  return rows;
}

/** Writes every dirty user (up to the per-flush bound); returns users written. */
export async function flushDirty(db: Db, redis: Redis, keys: PresenceKeys): Promise<number> {
  let written = 0;
  for (let chunk = 0; chunk < MAX_CHUNKS_PER_FLUSH; chunk++) {
    // SPOP is atomic: two instances flushing at once never write the same user twice.
    const ids = (await redis.spop(keys.dirty, FLUSH_CHUNK)) as string[];
    if (ids.length === 0) break;
    const rows = flushRows(ids, await redis.hmget(keys.status, ...ids));
    if (rows.userIds.length === 0) continue;
    try {
      await db.query(
        'presence.flush-batch',
        `UPDATE users u SET status = v.status, last_seen_at = v.seen_at
           FROM unnest($1::bigint[], $2::text[], $3::timestamptz[]) AS v(id, status, seen_at)
          WHERE u.id = v.id`,
        [rows.userIds, rows.statuses, rows.seenAt],
      );
    } catch (e) {
      // Put them back so the next flush retries; the statuses stay in the hash.
      await redis.sadd(keys.dirty, ...ids).catch(() => undefined);
      throw e;
    }
    written += rows.userIds.length;
    if (ids.length < FLUSH_CHUNK) break;
  }
  return written;
}
