/**
 * The named fixes. Baseline is the platform as the assessments found it (every switch off);
 * optimized applies their fixes (every switch on). Each switch can be flipped alone so a claim
 * is measured by toggling the one thing it is about. This table is the single source of truth:
 * services read it, `/health` reports it, run cards record it, `brink assess` maps claims to it.
 */
import { invalidInput, unknownName } from './errors.ts';

export interface SwitchDef {
  id: string;
  description: string;
  /** Claim ids (shared/assessments/README.md) this switch is the fix for. */
  claimIds: string[];
  /** Index migrations (sql-audit/migrations/<id>.sql) applied when on, rolled back when off. */
  migrations?: string[];
}

export const SWITCHES = [
  { id: 'idx-posts-user-created', description: 'partial composite index posts(user_id, created_at DESC) WHERE deleted_at IS NULL for get_user_posts', claimIds: ['NV-1', 'LC-3'], migrations: ['001-posts-user-created-live'] },
  { id: 'idx-messages-conversation-created', description: 'index messages(conversation_id, created_at DESC) for message history', claimIds: ['NV-2', 'CP-3'], migrations: ['002-messages-conversation-created'] },
  { id: 'idx-follows-follower', description: 'index follows(follower_id, followee_id) for the chronological feed', claimIds: ['NV-3'], migrations: ['003-follows-follower-followee'] },
  { id: 'idx-newfeed', description: 'the NewFeed indexes: posts(created_at DESC), comments(post_id), comments(author_id)', claimIds: ['NF-13', 'NF-3'], migrations: ['004-posts-created-at', '005-comments-post-id', '006-comments-author-id'] },
  { id: 'fulltext-search', description: 'full-text (tsvector + GIN) post search and trigram user search instead of LIKE %q%', claimIds: ['CP-5', 'NV-12'], migrations: ['007-posts-body-fulltext', '008-users-trigram'] },
  { id: 'idx-stories-expires', description: 'index stories(expires_at) for expired-story cleanup', claimIds: ['CP-7'], migrations: ['009-stories-expires-at'] },
  { id: 'pooling', description: 'a pg pool per service instead of a new connection per request', claimIds: ['NF-1', 'NF-3'] },
  { id: 'shared-pool', description: 'one shared pool per service instead of one pool per module (48+ clients)', claimIds: ['MO-1', 'MO-2'] },
  { id: 'cache', description: 'cache-aside (in-process L1 + Redis) with TTLs, invalidated on mutation', claimIds: ['NF-2', 'LC-1', 'LC-2', 'NF-3'] },
  { id: 'stampede-lock', description: 'one feed rebuilder under a Redis lock; others wait briefly or serve stale', claimIds: ['NV-9'] },
  { id: 'batched-hydration', description: 'authors hydrated in one = ANY($1) query instead of one query per post (N+1)', claimIds: ['NV-3', 'NF-11'] },
  { id: 'keyset-paging', description: 'cursor (keyset) paging with a maximum page size instead of OFFSET', claimIds: ['CP-3'] },
  { id: 'compression', description: 'gzip level 6 for responses over 1 KB', claimIds: ['NF-4'] },
  { id: 'breakers', description: 'a circuit breaker per downstream service (NewFeed configs)', claimIds: ['NF-5'] },
  { id: 'redis-rate-limit', description: 'Redis sorted-set sliding-window rate limiting shared by all gateways, instead of per-process memory', claimIds: ['NF-6', 'CP-4'] },
  { id: 'hash-off-loop', description: 'password hashing on the thread pool instead of the event loop', claimIds: ['NV-8'] },
  { id: 'statement-timeouts', description: 'statement timeouts with an empty fallback for ranking and search', claimIds: ['NV-4'] },
  { id: 'service-timeouts', description: 'per-service call timeouts (ranking 10 s, user 5 s, content 10 s) instead of a blanket 30 s', claimIds: ['NV-5'] },
  { id: 'socketio-redis-adapter', description: 'Socket.IO Redis adapter so messages reach members on other instances', claimIds: ['CP-1', 'NF-8'] },
  { id: 'membership-cache', description: 'conversation membership cached instead of queried per message', claimIds: ['CP-3'] },
  { id: 'amqp-reliability', description: 'prefetch 10, retries with backoff (max 3), dead-letter queue, TTL and max length', claimIds: ['NF-9', 'CP-8', 'CP-9'] },
  { id: 'presence-batching', description: 'presence kept in Redis and persisted in batches every 30 s instead of a write per change', claimIds: ['CP-6'] },
  { id: 'story-cleanup-batched', description: 'expired stories deleted in batches of 1,000 under a Redis lock', claimIds: ['CP-7'] },
  // Issue 18: NewFeed's breakers keep a 10 s rolling window equal to their 10 s timeout and divide
  // failures by calls fired in it, so a hanging service never opens its breaker; the fix counts
  // calls as they complete over one deadline (gateway/breakers.ts says why not a longer window).
  { id: 'breaker-window', description: 'circuit breakers count calls as they complete (over one deadline) instead of failures over calls fired in 10 s, so a hanging service opens its breaker', claimIds: ['NF-5'] },
  // Beyond the documents (issue 14): the follows-join feed walks posts by time until it has found
  // `limit` posts of the reader's followees, 1.4 s for a reader who follows nobody on medium data.
  { id: 'feed-followee-merge', description: 'home feed as a per-followee top-N merge over posts(user_id, created_at DESC) for readers of up to 200 accounts; a reader who follows nobody gets an empty page without a posts query', claimIds: ['NV-10'] },
  { id: 'chat-batched-inserts', description: 'chat messages inserted in batches (one multi-row INSERT per few ms) instead of one INSERT per message', claimIds: ['CP-10'] },
  // Issue 18: comments accepted while RabbitMQ is down answered eventPublished: false and were never notified.
  { id: 'comments-outbox', description: 'comment.created written to an outbox in the comment\'s transaction and relayed with publisher confirms, instead of published once after the commit', claimIds: ['NF-9'] },
] as const satisfies readonly SwitchDef[];

export type SwitchId = (typeof SWITCHES)[number]['id'];
export type Switches = Record<SwitchId, boolean>;
export const SWITCH_IDS = SWITCHES.map((s) => s.id) as SwitchId[];

export const VARIANTS = ['baseline', 'optimized'] as const;
export type Variant = (typeof VARIANTS)[number];

export function switchesFor(variant: Variant): Switches {
  const on = variant === 'optimized';
  return Object.fromEntries(SWITCH_IDS.map((id) => [id, on])) as Switches;
}

export function isSwitchId(id: string): id is SwitchId {
  return (SWITCH_IDS as string[]).includes(id);
}

export function parseVariant(value: string): Variant {
  if (!(VARIANTS as readonly string[]).includes(value)) throw unknownName('variant', value, VARIANTS);
  return value as Variant;
}

/** Parses "NAME=on|off" overrides (CLI --switch) on top of a variant's defaults. */
export function applySwitchOverrides(base: Switches, overrides: readonly string[]): Switches {
  const out = { ...base };
  for (const o of overrides) {
    const m = /^([a-z0-9-]+)=(on|off|true|false)$/.exec(o.trim());
    if (!m) throw invalidInput(`switch "${o}" is not NAME=on|off`, `e.g. --switch cache=off; switches: ${SWITCH_IDS.join(', ')}`);
    const [, name, value] = m as unknown as [string, string, string];
    if (!isSwitchId(name)) throw unknownName('switch', name, SWITCH_IDS);
    out[name] = value === 'on' || value === 'true';
  }
  return out;
}

/** The switches that differ from the variant's defaults, for display ("optimized, cache=off"). */
export function describeSwitches(variant: Variant, switches: Switches): string {
  const base = switchesFor(variant);
  const diffs = SWITCH_IDS.filter((id) => base[id] !== switches[id]).map((id) => `${id}=${switches[id] ? 'on' : 'off'}`);
  return diffs.length === 0 ? variant : `${variant} (${diffs.join(', ')})`;
}
