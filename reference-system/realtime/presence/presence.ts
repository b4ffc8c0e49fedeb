/**
 * Online/offline status (CP-6). A user is online while this instance holds at least one of their
 * sockets; only the 0 -> 1 and 1 -> 0 transitions are changes.
 * - `presence-batching` on: the status goes to a Redis hash and the user id to a "dirty" set; a
 *   flusher (every 30 s, and on stop) pops the dirty ids and writes them to users.status /
 *   last_seen_at in ONE UPDATE ... FROM unnest(...) statement.
 * - off, as found: every change is an INSERT into presence_events plus an UPDATE of users, at once.
 * The switch is read per change, so flipping it on a running stack takes effect immediately.
 */
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Db } from '../../shared/context.ts';
import type { Switches } from '../../../core/index.ts';
import { flushDirty, presenceKeys, type PresenceKeys, type PresenceStatus, type StoredStatus } from './presence-flush.ts';
import { SocketCounts } from './socket-counts.ts';

export type { PresenceStatus };

export interface PresenceTracker {
  connected(userId: number): Promise<void>;
  disconnected(userId: number): Promise<void>;
  /** Persists pending changes now; returns users written. */
  flush(): Promise<number>;
  /** Status as this platform currently knows it (Redis with batching, else Postgres). */
  statusOf(userId: number): Promise<PresenceStatus>;
  readonly stats: PresenceStats;
  stop(): Promise<void>;
}

export interface PresenceStats {
  changes: number;
  directWrites: number;
  flushes: number;
  flushedUsers: number;
}

export interface PresenceDeps {
  db: Db;
  redis: Redis;
  switches: Readonly<Switches>;
  redisPrefix: string;
  flushIntervalMs: number;
  log: Logger;
}

export function createPresenceTracker(d: PresenceDeps): PresenceTracker {
  const counts = new SocketCounts();
  const keys = presenceKeys(d.redisPrefix);
  const stats: PresenceStats = { changes: 0, directWrites: 0, flushes: 0, flushedUsers: 0 };
  let chain: Promise<unknown> = Promise.resolve();

  function flush(): Promise<number> {
    // One flush at a time per instance: each call runs after the previous one settles.
    const run = chain.then(async () => {
      const written = await flushDirty(d.db, d.redis, keys);
      stats.flushes++;
      stats.flushedUsers += written;
      return written;
    });
    chain = run.catch(() => 0);
    return run;
  }

  const timer = setInterval(() => {
    if (!d.switches['presence-batching']) return;
    flush().catch((e: Error) => d.log.warn({ err: e.message }, 'presence flush failed; will retry'));
  }, d.flushIntervalMs);
  timer.unref();

  return {
    stats,
    async connected(userId) {
      if (counts.connected(userId)) await writeChange(d, keys, stats, userId, 'online');
    },
    async disconnected(userId) {
      if (counts.disconnected(userId)) await writeChange(d, keys, stats, userId, 'offline');
    },
    flush,
    statusOf: (userId) => readStatus(d, keys, userId),
    async stop() {
      clearInterval(timer);
      await flush().catch((e: Error) => d.log.warn({ err: e.message }, 'final presence flush failed'));
    },
  };
}

/** One status change: to Redis for the next flush (batching on), else straight to Postgres. */
async function writeChange(d: PresenceDeps, keys: PresenceKeys, stats: PresenceStats, userId: number, status: PresenceStatus): Promise<void> {
  stats.changes++;
  const atMs = Date.now();
  if (d.switches['presence-batching']) {
    const stored: StoredStatus = { status, atMs };
    await d.redis.multi().hset(keys.status, String(userId), JSON.stringify(stored)).sadd(keys.dirty, String(userId)).exec();
    return;
  }
  stats.directWrites++;
  await d.db.query('insert_presence_event', 'INSERT INTO presence_events (user_id, status) VALUES ($1, $2)', [userId, status]);
  await d.db.query('presence.update-user', 'UPDATE users SET status = $2, last_seen_at = now() WHERE id = $1', [userId, status]);
}

async function readStatus(d: PresenceDeps, keys: PresenceKeys, userId: number): Promise<PresenceStatus> {
  const v = d.switches['presence-batching'] ? await d.redis.hget(keys.status, String(userId)) : null;
  if (v) return (JSON.parse(v) as StoredStatus).status;
  const rows = await d.db.query<{ status: string }>('presence.user-status', 'SELECT status FROM users WHERE id = $1', [userId]);
  return rows[0]?.status === 'online' ? 'online' : 'offline';
}
