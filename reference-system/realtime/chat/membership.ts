/**
 * Who is in a conversation. `membership-cache` on (CP-3): an in-process L1 (short TTL) in front of
 * Redis (longer TTL) in front of Postgres, so a busy conversation costs no query per message; off,
 * as found: one query per message. Members never change after creation (there is no add/remove
 * API), so entries need no invalidation; a new conversation is simply not cached yet.
 */
import type { Redis } from 'ioredis';
import type { Db } from '../../shared/context.ts';
import type { Switches } from '../../../core/index.ts';

export const L1_TTL_MS = 30_000;
export const REDIS_TTL_S = 300;
const L1_MAX_ENTRIES = 50_000;

export interface Membership {
  /** Member ids, or null when the conversation does not exist. */
  members(conversationId: number): Promise<number[] | null>;
  /** Conversations a user belongs to (rooms to join on connect). */
  conversationsOf(userId: number): Promise<number[]>;
  /** Counts for metrics and tests: where answers came from. */
  readonly stats: { l1Hits: number; redisHits: number; dbQueries: number };
}

export type LookupSource = 'l1' | 'redis' | 'db';

export function createMembership(db: Db, redis: Redis, switches: Readonly<Switches>, redisPrefix: string, onLookup: (source: LookupSource) => void = () => undefined): Membership {
  const l1 = new Map<number, { members: number[]; expiresAt: number }>();
  const stats = { l1Hits: 0, redisHits: 0, dbQueries: 0 };

  async function fromDb(conversationId: number): Promise<number[] | null> {
    stats.dbQueries++;
    onLookup('db');
    const rows = await db.query<{ user_id: string }>('conversation_member_ids', 'SELECT user_id FROM conversation_members WHERE conversation_id = $1', [conversationId]);
    // A conversation always has its creator as a member, so no rows means no conversation.
    return rows.length === 0 ? null : rows.map((r) => Number(r.user_id));
  }

  return {
    stats,
    async members(conversationId) {
      if (!switches['membership-cache']) return fromDb(conversationId);
      const now = Date.now();
      const hit = l1.get(conversationId);
      if (hit && hit.expiresAt > now) {
        stats.l1Hits++;
        onLookup('l1');
        return hit.members;
      }
      const key = `${redisPrefix}conv:${conversationId}:members`;
      let members: number[] | null = null;
      const cached = await redis.get(key).catch(() => null);
      if (cached) {
        stats.redisHits++;
        onLookup('redis');
        members = JSON.parse(cached) as number[];
      } else {
        members = await fromDb(conversationId);
        if (members) await redis.set(key, JSON.stringify(members), 'EX', REDIS_TTL_S).catch(() => undefined);
      }
      if (members) {
        if (l1.size >= L1_MAX_ENTRIES) l1.clear();
        l1.set(conversationId, { members, expiresAt: now + L1_TTL_MS });
      }
      return members;
    },
    async conversationsOf(userId) {
      const rows = await db.query<{ conversation_id: string }>('chat.user-conversations', 'SELECT conversation_id FROM conversation_members WHERE user_id = $1', [userId]);
      return rows.map((r) => Number(r.conversation_id));
    },
  };
}
