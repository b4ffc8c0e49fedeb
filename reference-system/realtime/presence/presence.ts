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

export type PresenceStatus = 'online' | 'offline';

/** How many dirty users one flush statement carries at most (and how many statements one flush may run). */
const FLUSH_CHUNK = 5_000;
const MAX_CHUNKS_PER_FLUSH = 100;

export interface PresenceTracker {
  connected(userId: number): Promise<void>;
  disconnected(userId: number): Promise<void>;
  /** Persists pending changes now; returns users written. */
  flush(): Promise<number>;
  /** Status as this platform currently knows it (Redis with batching, else Postgres). */
  statusOf(userId: number): Promise<PresenceStatus>;
  readonly stats: { changes: number; directWrites: number; flushes: number; flushedUsers: number };
  stop(): Promise<void>;
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
  const sockets = new Map<number, number>();
  const statusKey = `${d.redisPrefix}presence:status`;
  const dirtyKey = `${d.redisPrefix}presence:dirty`;
  const stats = { changes: 0, directWrites: 0, flushes: 0, flushedUsers: 0 };
  let chain: Promise<unknown> = Promise.resolve();

  async function change(userId: number, status: PresenceStatus): Promise<void> {
    stats.changes++;
    const atMs = Date.now();
    if (d.switches['presence-batching']) {
      await d.redis.multi().hset(statusKey, String(userId), JSON.stringify({ status, atMs })).sadd(dirtyKey, String(userId)).exec();
      return;
    }
    stats.directWrites++;
    await d.db.query('insert_presence_event', 'INSERT INTO presence_events (user_id, status) VALUES ($1, $2)', [userId, status]);
    await d.db.query('presence.update-user', 'UPDATE users SET status = $2, last_seen_at = now() WHERE id = $1', [userId, status]);
  }

  async function flushOnce(): Promise<number> {
    let written = 0;
    for (let chunk = 0; chunk < MAX_CHUNKS_PER_FLUSH; chunk++) {
      // SPOP is atomic: two instances flushing at once never write the same user twice.
      const ids = (await d.redis.spop(dirtyKey, FLUSH_CHUNK)) as string[];
      if (ids.length === 0) break;
      const raw = await d.redis.hmget(statusKey, ...ids);
      const userIds: number[] = [];
      const statuses: string[] = [];
      const seenAt: string[] = [];
      ids.forEach((id, i) => {
        const v = raw[i];
        if (!v) return;
        const s = JSON.parse(v) as { status: PresenceStatus; atMs: number };
        userIds.push(Number(id));
        statuses.push(s.status);
        seenAt.push(new Date(s.atMs).toISOString());
      });
      if (userIds.length === 0) continue;
      try {
        await d.db.query(
          'presence.flush-batch',
          `UPDATE users u SET status = v.status, last_seen_at = v.seen_at
             FROM unnest($1::bigint[], $2::text[], $3::timestamptz[]) AS v(id, status, seen_at)
            WHERE u.id = v.id`,
          [userIds, statuses, seenAt],
        );
      } catch (e) {
        // Put them back so the next flush retries; the statuses stay in the hash.
        await d.redis.sadd(dirtyKey, ...ids).catch(() => undefined);
        throw e;
      }
      written += userIds.length;
      if (ids.length < FLUSH_CHUNK) break;
    }
    stats.flushes++;
    stats.flushedUsers += written;
    return written;
  }

  function flush(): Promise<number> {
    // One flush at a time per instance: each call runs after the previous one settles.
    const run = chain.then(flushOnce);
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
      const n = (sockets.get(userId) ?? 0) + 1;
      sockets.set(userId, n);
      if (n === 1) await change(userId, 'online');
    },
    async disconnected(userId) {
      const n = (sockets.get(userId) ?? 1) - 1;
      if (n > 0) {
        sockets.set(userId, n);
        return;
      }
      sockets.delete(userId);
      await change(userId, 'offline');
    },
    flush,
    async statusOf(userId) {
      const v = d.switches['presence-batching'] ? await d.redis.hget(statusKey, String(userId)) : null;
      if (v) return (JSON.parse(v) as { status: PresenceStatus }).status;
      const rows = await d.db.query<{ status: string }>('presence.user-status', 'SELECT status FROM users WHERE id = $1', [userId]);
      return rows[0]?.status === 'online' ? 'online' : 'offline';
    },
    async stop() {
      clearInterval(timer);
      await flush().catch((e: Error) => d.log.warn({ err: e.message }, 'final presence flush failed'));
    },
  };
}
