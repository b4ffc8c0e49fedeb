import { describe, expect, it } from 'vitest';
import { createRng } from './prng.ts';
import { COPY_COLUMNS, DatasetGenerator, ExactInterleave, type DatasetPlan } from './generate.ts';
import type { ScaleSpec } from './scales.ts';

const TINY: ScaleSpec = {
  users: 60,
  regularPosts: 500,
  heavyUserPosts: [300, 100],
  meanFollows: 6,
  comments: 400,
  conversations: 12,
  heavyConversationMessages: [200, 50],
  regularMessages: 100,
  stories: 40,
  deletedShare: 0.1,
};
const ANCHOR = Date.UTC(2026, 5, 1, 12);
const plan = (seed: number): DatasetPlan => ({ scale: 'small', spec: TINY, seed, anchorMs: ANCHOR, passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA' });

function rows(chunks: Iterable<Buffer>): string[][] {
  return Buffer.concat([...chunks])
    .toString('latin1')
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split('\t'));
}

describe('ExactInterleave', () => {
  it('hands out exactly the requested counts', () => {
    const il = new ExactInterleave([5, 0, 12, 3]);
    const rng = createRng(1);
    const got = [0, 0, 0, 0];
    for (let i = 0; i < 20; i++) got[il.next(rng)]!++;
    expect(got).toEqual([5, 0, 12, 3]);
    expect(() => il.next(rng)).toThrow('ExactInterleave exhausted');
  });
});

describe('DatasetGenerator', () => {
  const gen = new DatasetGenerator(plan(5));
  const users = rows(gen.users());
  const follows = rows(gen.followRows());
  const posts = rows(gen.postRows());
  const comments = rows(gen.commentRows());
  const members = rows(gen.conversationMemberRows());
  const conversations = rows(gen.conversationRows());
  const messages = rows(gen.messageRows());
  const stories = rows(gen.storyRows());

  it('writes every table with its COPY column count', () => {
    const tables = { users, follows, posts, comments, conversations, conversation_members: members, messages, stories };
    for (const [t, rs] of Object.entries(tables)) {
      for (const r of rs) expect(r.length, t).toBe(COPY_COLUMNS[t as keyof typeof COPY_COLUMNS].length);
    }
  });

  it('names users user<N> with user<N>@example.test and one shared password hash', () => {
    expect(users).toHaveLength(60);
    expect(users[6]!.slice(0, 4)).toEqual(['7', 'user7', 'user7@example.test', plan(5).passwordHash]);
  });

  it('gives the heavy users exactly their post counts, live plus soft-deleted, and counts the deleted', () => {
    const byUser = (id: number) => posts.filter((p) => p[1] === String(id));
    expect(byUser(1)).toHaveLength(300);
    expect(byUser(2)).toHaveLength(100);
    expect(posts).toHaveLength(900);
    expect(byUser(1).filter((p) => p[6] !== '\\N')).toHaveLength(gen.heavyUserDeletedPosts[0]!);
    expect(byUser(2).filter((p) => p[6] !== '\\N')).toHaveLength(gen.heavyUserDeletedPosts[1]!);
    const deleted = posts.filter((p) => p[6] !== '\\N').length / posts.length;
    expect(deleted).toBeGreaterThan(0.05);
    expect(deleted).toBeLessThan(0.15);
  });

  it('lays posts out in time order, deletions after creation and before the anchor', () => {
    for (let i = 1; i < posts.length; i++) expect(posts[i]![5]! >= posts[i - 1]![5]!).toBe(true);
    for (const p of posts.filter((p) => p[6] !== '\\N')) {
      expect(p[6]! >= p[5]!).toBe(true);
      expect(Date.parse(p[6]!)).toBeLessThanOrEqual(ANCHOR);
    }
  });

  it('builds a follow graph without self-follows or duplicates, with a heavy-tailed in-degree', () => {
    const pairs = follows.map((f) => `${f[1]}>${f[2]}`);
    expect(new Set(pairs).size).toBe(pairs.length);
    expect(follows.filter((f) => f[1] === f[2])).toEqual([]);
    const inDegree = new Map<string, number>();
    for (const f of follows) inDegree.set(f[2]!, (inDegree.get(f[2]!) ?? 0) + 1);
    const degrees = [...inDegree.values()].sort((a, b) => b - a);
    const mean = follows.length / 60;
    expect(degrees[0]!).toBeGreaterThan(3 * mean);
    expect(gen.follows.rows).toBe(follows.length);
  });

  it('writes comment_count equal to the comments generated for each post', () => {
    expect(comments).toHaveLength(400);
    const perPost = new Map<string, number>();
    for (const c of comments) perPost.set(c[1]!, (perPost.get(c[1]!) ?? 0) + 1);
    for (const p of posts) expect(Number(p[4])).toBe(perPost.get(p[0]!) ?? 0);
    // Power law: the most-commented post has far more than the average.
    expect(Math.max(...perPost.values())).toBeGreaterThan(10 * (400 / 900));
  });

  it('gives heavy conversations exactly their message counts, every sender a member', () => {
    const memberSet = new Set(members.map((m) => `${m[0]}:${m[1]}`));
    expect(messages).toHaveLength(350);
    expect(messages.filter((m) => m[1] === '1')).toHaveLength(200);
    expect(messages.filter((m) => m[1] === '2')).toHaveLength(50);
    for (const m of messages) expect(memberSet.has(`${m[1]}:${m[2]}`)).toBe(true);
    expect(gen.memberIds(1)).toHaveLength(5);
    expect(new Set(members.map((m) => `${m[0]}:${m[1]}`)).size).toBe(members.length);
    expect(conversations.map((c) => c[1])).toEqual(Array.from({ length: 12 }, (_, i) => String(gen.memberIds(i + 1)[0])));
  });

  it('writes stories around the anchor so that some have expired and some have not', () => {
    const expired = stories.filter((s) => Date.parse(s[4]!) < ANCHOR).length;
    expect(expired).toBeGreaterThan(5);
    expect(expired).toBeLessThan(35);
  });

  it('produces identical bytes for the same seed and different ones for another seed', () => {
    const again = new DatasetGenerator(plan(5));
    const other = new DatasetGenerator(plan(6));
    const bytes = (g: DatasetGenerator) => Buffer.concat([...g.postRows(), ...g.followRows(), ...g.messageRows()]);
    expect(bytes(again).equals(bytes(new DatasetGenerator(plan(5))))).toBe(true);
    expect(bytes(again).equals(bytes(other))).toBe(false);
  });

  it('samples ordinary (not heavy) users, deterministically', () => {
    const sample = gen.sampleUserIds(20);
    expect(sample).toHaveLength(20);
    expect(new Set(sample).size).toBe(20);
    for (const id of sample) expect(id).toBeGreaterThan(2);
    expect(new DatasetGenerator(plan(5)).sampleUserIds(20)).toEqual(sample);
  });
});
