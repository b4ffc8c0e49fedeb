/**
 * Row generators, one per table, each yielding COPY text-format chunks (Buffers) (tab-separated, one row per
 * line) so a table of 10M rows streams through a few hundred KB of memory. Pure and deterministic:
 * the output depends only on the plan (seed, scale, anchor time, password hash); each table draws
 * from its own PRNG stream. The few cross-table facts (comment counts per post, conversation
 * members) are small typed arrays computed once.
 */
import { rngFor, type Rng } from './prng.ts';
import { totalMessages, totalPosts, type ScaleName, type ScaleSpec } from './scales.ts';
import { RowWriter } from './row-writer.ts';
import { SentencePool } from './sentence-pool.ts';
import { COMMENT_TEXT, MESSAGE_TEXT, POST_TEXT, writeText } from './text.ts';
import { FIRST_NAMES, LAST_NAMES } from './words.ts';
import { affinePermutation, zipfContinuous } from './zipf.ts';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** Posts span the year before the anchor; messages the 90 days before it; stories the last 48 h. */
const POST_SPAN_MS = 365 * DAY_MS;
const MESSAGE_SPAN_MS = 90 * DAY_MS;
const USER_SPAN_MS = 730 * DAY_MS;
const STORY_TTL_MS = 24 * HOUR_MS;
const FOLLOW_EXPONENT = 1.0;
const POSTING_EXPONENT = 0.8;
const COMMENT_EXPONENT = 1.0;
const CONVERSATION_EXPONENT = 1.0;
const HEAVY_CONVERSATION_MEMBERS = 5;

const capitalize = (w: string): string => w[0]!.toUpperCase() + w.slice(1);

export interface DatasetPlan {
  scale: ScaleName;
  spec: ScaleSpec;
  seed: number;
  /** Every timestamp is relative to this instant (epoch ms), normally the seeding time. */
  anchorMs: number;
  passwordHash: string;
}

export interface TableStats {
  rows: number;
}

/**
 * Exact counts in random order: draws "which bucket" for each position with probability
 * remaining[b] / remainingTotal, so bucket b gets exactly counts[b] positions, spread uniformly.
 */
export class ExactInterleave {
  readonly remaining: number[];
  total: number;
  constructor(counts: readonly number[]) {
    this.remaining = [...counts];
    this.total = counts.reduce((a, b) => a + b, 0);
  }
  next(rng: Rng): number {
    if (this.total <= 0) throw new Error('ExactInterleave exhausted');
    let u = rng.int(this.total);
    for (let b = 0; b < this.remaining.length; b++) {
      if (u < this.remaining[b]!) {
        this.remaining[b]!--;
        this.total--;
        return b;
      }
      u -= this.remaining[b]!;
    }
    throw new Error('unreachable');
  }
}

export class DatasetGenerator {
  readonly posts: number;
  readonly messages: number;
  readonly heavyUserIds: number[];
  readonly heavyConversationIds: number[];
  /** Filled while posts are generated. */
  readonly heavyUserDeletedPosts: number[];
  readonly follows: TableStats = { rows: 0 };
  readonly conversationMembers: TableStats = { rows: 0 };
  #commentCounts: Int32Array | undefined;
  #members: { start: Int32Array; flat: Int32Array } | undefined;
  #pool: SentencePool | undefined;

  constructor(readonly plan: DatasetPlan) {
    const { spec } = plan;
    if (spec.users < spec.heavyUserPosts.length + 2) throw new Error(`scale needs more users than heavy users`);
    if (spec.conversations < spec.heavyConversationMessages.length + 1) throw new Error(`scale needs more conversations than heavy ones`);
    this.posts = totalPosts(spec);
    this.messages = totalMessages(spec);
    this.heavyUserIds = spec.heavyUserPosts.map((_, i) => i + 1);
    this.heavyConversationIds = spec.heavyConversationMessages.map((_, i) => i + 1);
    this.heavyUserDeletedPosts = spec.heavyUserPosts.map(() => 0);
  }

  /** Sentences that posts, comments and messages are made of (built once, from the seed). */
  sentences(): SentencePool {
    this.#pool ??= new SentencePool(rngFor(this.plan.seed, 'sentences'));
    return this.#pool;
  }

  userCreatedMs(id: number): number {
    // Older accounts have lower ids; every account exists before the posting year starts.
    const start = this.plan.anchorMs - POST_SPAN_MS - USER_SPAN_MS;
    return start + Math.floor(((id - 1) / this.plan.spec.users) * USER_SPAN_MS);
  }

  postCreatedMs(id: number): number {
    return this.plan.anchorMs - POST_SPAN_MS + Math.floor(((id - 1) / this.posts) * POST_SPAN_MS);
  }

  *users(): Generator<Buffer> {
    const rng = rngFor(this.plan.seed, 'users');
    const c = new RowWriter();
    const hash = this.plan.passwordHash;
    const created0 = this.plan.anchorMs;
    for (let id = 1; id <= this.plan.spec.users; id++) {
      const created = this.userCreatedMs(id);
      c.int(id);
      c.str('\tuser');
      c.int(id);
      c.str('\tuser');
      c.int(id);
      c.str('@example.test\t');
      c.str(hash);
      c.tab();
      c.str(capitalize(rng.pick(FIRST_NAMES)));
      c.byte(0x20);
      c.str(capitalize(rng.pick(LAST_NAMES)));
      c.tab();
      writeText(c, rng, COMMENT_TEXT);
      c.str('\toffline\t');
      c.iso(created0 - rng.int(30 * DAY_MS));
      c.tab();
      c.iso(created);
      c.tab();
      c.iso(created);
      const out = c.end();
      if (out) yield out;
    }
    const rest = c.rest();
    if (rest) yield rest;
  }

  /**
   * Power-law follow graph: out-degree is Pareto (alpha 1.5, so most follow a few and some
   * follow thousands) and followees are drawn by Zipf popularity, so in-degree is heavy-tailed
   * too. Popularity order is a fixed permutation of user ids. No self-follows, no duplicates.
   */
  *followRows(): Generator<Buffer> {
    const { users, meanFollows } = this.plan.spec;
    const rng = rngFor(this.plan.seed, 'follows');
    const popularity = zipfContinuous(users, FOLLOW_EXPONENT);
    const byPopularity = affinePermutation(users, this.plan.seed ^ 0x5eed);
    const minFollows = Math.max(1, Math.round(meanFollows / 3));
    const maxFollows = Math.min(users - 1, 5_000);
    const c = new RowWriter();
    let id = 0;
    const chosen = new Set<number>();
    for (let follower = 1; follower <= users; follower++) {
      const want = Math.min(maxFollows, Math.floor(minFollows / Math.pow(1 - rng.float(), 1 / 1.5)));
      chosen.clear();
      // Bounded: a follower wanting most of a small graph stops after 20 attempts per follow.
      for (let attempt = 0; chosen.size < want && attempt < want * 20; attempt++) {
        const followee = byPopularity(popularity.sample(rng)) + 1;
        if (followee !== follower) chosen.add(followee);
      }
      const since = Math.max(this.userCreatedMs(follower), this.plan.anchorMs - POST_SPAN_MS);
      for (const followee of chosen) {
        c.int(++id);
        c.tab();
        c.int(follower);
        c.tab();
        c.int(followee);
        c.tab();
        c.iso(since + rng.int(this.plan.anchorMs - since));
        const out = c.end();
        if (out) yield out;
      }
    }
    const rest = c.rest();
    if (rest) yield rest;
    this.follows.rows = c.rows;
  }

  /** Comments per post: Zipf over posts in a fixed shuffled order (a few posts get most comments). */
  commentCounts(): Int32Array {
    if (this.#commentCounts) return this.#commentCounts;
    const rng = rngFor(this.plan.seed, 'comment-targets');
    const counts = new Int32Array(this.posts + 1);
    const zipf = zipfContinuous(this.posts, COMMENT_EXPONENT);
    const perm = affinePermutation(this.posts, this.plan.seed ^ 0xc0de);
    for (let i = 0; i < this.plan.spec.comments; i++) counts[perm(zipf.sample(rng)) + 1]!++;
    this.#commentCounts = counts;
    return counts;
  }

  /**
   * Posts in time order (ids increase with created_at), authors interleaved: the heavy users get
   * exactly their counts, spread over the year, so their rows are scattered over the table as in
   * production (NV-1's sort over 100,000 rows reads pages all over the heap).
   */
  *postRows(): Generator<Buffer> {
    const { spec, seed, anchorMs } = this.plan;
    const rng = rngFor(seed, 'posts');
    const pool = this.sentences();
    const counts = this.commentCounts();
    const authors = new ExactInterleave([...spec.heavyUserPosts, spec.regularPosts]);
    const heavy = spec.heavyUserPosts.length;
    const regularUsers = spec.users - heavy;
    const activity = zipfContinuous(regularUsers, POSTING_EXPONENT);
    const byActivity = affinePermutation(regularUsers, seed ^ 0xfeed);
    const c = new RowWriter();
    for (let id = 1; id <= this.posts; id++) {
      const bucket = authors.next(rng);
      const userId = bucket < heavy ? bucket + 1 : heavy + 1 + byActivity(activity.sample(rng));
      const created = this.postCreatedMs(id);
      c.int(id);
      c.tab();
      c.int(userId);
      c.tab();
      pool.write(c, rng, POST_TEXT);
      c.tab();
      c.int(Math.min(100_000, Math.floor(1 / Math.pow(1 - rng.float(), 1.5)) - 1));
      c.tab();
      c.int(counts[id]!);
      c.tab();
      c.iso(created);
      c.tab();
      if (rng.chance(spec.deletedShare)) {
        c.iso(created + rng.int(Math.max(1, anchorMs - created)));
        if (bucket < heavy) this.heavyUserDeletedPosts[bucket]!++;
      } else c.nul();
      const out = c.end();
      if (out) yield out;
    }
    const rest = c.rest();
    if (rest) yield rest;
  }

  /** Comments grouped by post (ids follow post ids), within a week of the post. */
  *commentRows(): Generator<Buffer> {
    const { spec, seed, anchorMs } = this.plan;
    const rng = rngFor(seed, 'comments');
    const pool = this.sentences();
    const counts = this.commentCounts();
    const c = new RowWriter();
    let id = 0;
    for (let post = 1; post <= this.posts; post++) {
      const n = counts[post]!;
      if (n === 0) continue;
      const postCreated = this.postCreatedMs(post);
      const window = Math.max(1, Math.min(7 * DAY_MS, anchorMs - postCreated));
      for (let k = 0; k < n; k++) {
        const created = postCreated + rng.int(window);
        c.int(++id);
        c.tab();
        c.int(post);
        c.tab();
        c.int(rng.int(spec.users) + 1);
        c.tab();
        pool.write(c, rng, COMMENT_TEXT);
        c.tab();
        c.iso(created);
        c.tab();
        if (rng.chance(spec.deletedShare)) c.iso(created + rng.int(Math.max(1, anchorMs - created)));
        else c.nul();
        const out = c.end();
        if (out) yield out;
      }
    }
    const rest = c.rest();
    if (rest) yield rest;
  }

  /** Members of every conversation: heavy ones have 5, most others are 1:1, some are groups. */
  members(): { start: Int32Array; flat: Int32Array } {
    if (this.#members) return this.#members;
    const { spec, seed } = this.plan;
    const rng = rngFor(seed, 'members');
    const start = new Int32Array(spec.conversations + 2);
    const flat: number[] = [];
    const picked = new Set<number>();
    for (let conv = 1; conv <= spec.conversations; conv++) {
      start[conv] = flat.length;
      const size = conv <= this.heavyConversationIds.length ? HEAVY_CONVERSATION_MEMBERS : rng.chance(0.7) ? 2 : rng.range(3, 8);
      picked.clear();
      while (picked.size < Math.min(size, spec.users)) picked.add(rng.int(spec.users) + 1);
      flat.push(...picked);
    }
    start[spec.conversations + 1] = flat.length;
    this.#members = { start, flat: Int32Array.from(flat) };
    return this.#members;
  }

  memberIds(conversationId: number): number[] {
    const { start, flat } = this.members();
    return Array.from(flat.subarray(start[conversationId]!, start[conversationId + 1]!));
  }

  conversationCreatedMs(id: number): number {
    return this.plan.anchorMs - MESSAGE_SPAN_MS - DAY_MS + Math.floor((id / this.plan.spec.conversations) * HOUR_MS);
  }

  *conversationRows(): Generator<Buffer> {
    const c = new RowWriter();
    const { start, flat } = this.members();
    for (let id = 1; id <= this.plan.spec.conversations; id++) {
      c.int(id);
      c.tab();
      c.int(flat[start[id]!]!);
      c.tab();
      c.iso(this.conversationCreatedMs(id));
      const out = c.end();
      if (out) yield out;
    }
    const rest = c.rest();
    if (rest) yield rest;
  }

  *conversationMemberRows(): Generator<Buffer> {
    const c = new RowWriter();
    const { start, flat } = this.members();
    for (let id = 1; id <= this.plan.spec.conversations; id++) {
      const joined = this.conversationCreatedMs(id);
      for (let k = start[id]!; k < start[id + 1]!; k++) {
        c.int(id);
        c.tab();
        c.int(flat[k]!);
        c.tab();
        c.iso(joined);
        const out = c.end();
        if (out) yield out;
      }
    }
    const rest = c.rest();
    if (rest) yield rest;
    this.conversationMembers.rows = c.rows;
  }

  /** Messages in time order; heavy conversations get exactly their counts (NV-2). */
  *messageRows(): Generator<Buffer> {
    const { spec, seed, anchorMs } = this.plan;
    const rng = rngFor(seed, 'messages');
    const pool = this.sentences();
    const { start, flat } = this.members();
    const heavy = spec.heavyConversationMessages.length;
    const target = new ExactInterleave([...spec.heavyConversationMessages, spec.regularMessages]);
    const popularity = zipfContinuous(spec.conversations - heavy, CONVERSATION_EXPONENT);
    const c = new RowWriter();
    const from = anchorMs - MESSAGE_SPAN_MS;
    for (let id = 1; id <= this.messages; id++) {
      const bucket = target.next(rng);
      const conv = bucket < heavy ? bucket + 1 : heavy + 1 + popularity.sample(rng);
      const a = start[conv]!;
      const created = from + Math.floor(((id - 1) / this.messages) * MESSAGE_SPAN_MS);
      c.int(id);
      c.tab();
      c.int(conv);
      c.tab();
      c.int(flat[a + rng.int(start[conv + 1]! - a)]!);
      c.tab();
      pool.write(c, rng, MESSAGE_TEXT);
      c.tab();
      c.int(created);
      c.tab();
      c.iso(created);
      const out = c.end();
      if (out) yield out;
    }
    const rest = c.rest();
    if (rest) yield rest;
  }

  /** Stories from the last 48 hours with a 24-hour life: about half have expired (CP-7). */
  *storyRows(): Generator<Buffer> {
    const { spec, seed, anchorMs } = this.plan;
    const rng = rngFor(seed, 'stories');
    const c = new RowWriter();
    for (let id = 1; id <= spec.stories; id++) {
      const created = anchorMs - rng.int(2 * STORY_TTL_MS);
      c.int(id);
      c.tab();
      c.int(rng.int(spec.users) + 1);
      c.str('\thttps://cdn.example.test/stories/');
      c.int(id);
      c.str('.jpg\t');
      c.iso(created);
      c.tab();
      c.iso(created + STORY_TTL_MS);
      const out = c.end();
      if (out) yield out;
    }
    const rest = c.rest();
    if (rest) yield rest;
  }

  /** Typical users for load tests: regular (not heavy) users, drawn uniformly. */
  sampleUserIds(count = 1000): number[] {
    const rng = rngFor(this.plan.seed, 'sample-users');
    const heavy = this.heavyUserIds.length;
    const regular = this.plan.spec.users - heavy;
    const out = new Set<number>();
    while (out.size < Math.min(count, regular)) out.add(heavy + 1 + rng.int(regular));
    return [...out];
  }
}

/** The COPY column list of each table, in the order the generators write them. */
export const COPY_COLUMNS = {
  users: ['id', 'username', 'email', 'password_hash', 'display_name', 'bio', 'status', 'last_seen_at', 'created_at', 'updated_at'],
  follows: ['id', 'follower_id', 'followee_id', 'created_at'],
  posts: ['id', 'user_id', 'body', 'like_count', 'comment_count', 'created_at', 'deleted_at'],
  comments: ['id', 'post_id', 'author_id', 'body', 'created_at', 'deleted_at'],
  conversations: ['id', 'created_by', 'created_at'],
  conversation_members: ['conversation_id', 'user_id', 'joined_at'],
  messages: ['id', 'conversation_id', 'sender_id', 'body', 'client_ts', 'created_at'],
  stories: ['id', 'user_id', 'media_url', 'created_at', 'expires_at'],
} as const;

export type SeededTable = keyof typeof COPY_COLUMNS;
