import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import amqp from 'amqplib';
import { SQL } from '../../../sql-audit/catalog.ts';
import { applyIndexSwitches } from '../../../sql-audit/migrate.ts';
import { DEFAULT_L1_TTL_MS } from '../../shared/cache.ts';
import { EVENTS_EXCHANGE } from '../../shared/publisher.ts';
import { decodeCursor } from '../common/cursor.ts';
import { seedPosts, seedUsers, startHarness, type Harness } from '../common/test-harness.ts';
import { postsService } from '../posts/index.ts';
import { usersService } from './index.ts';

const stack = inject('stack');
let h: Harness;

beforeAll(async () => {
  h = await startHarness(stack, 'svc_users_it', [usersService, postsService], { variant: 'optimized', maxPageSize: 50 });
  await seedUsers(h.sql, 5);
  await seedPosts(h.sql, 2, 45);
  await seedPosts(h.sql, 5, 60);
});
afterAll(async () => h?.close());

describe('GET and PATCH /api/users/:id', () => {
  it('returns the profile, then serves it from the cache', async () => {
    const first = await h.call('users', 'GET', '/api/users/1');
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({ id: 1, username: 'user1', displayName: 'User 1', bio: '' });
    expect(first.headers.get('x-cache')).toBe('miss');
    const second = await h.call('users', 'GET', '/api/users/1');
    expect(second.headers.get('x-cache')).toBe('hit');
  });

  it('invalidates the cached profile on PATCH, so the next GET has the new value', async () => {
    await h.call('users', 'GET', '/api/users/3');
    expect((await h.call('users', 'GET', '/api/users/3')).headers.get('x-cache')).toBe('hit');
    const patched = await h.call('users', 'PATCH', '/api/users/3', { as: 3, body: { displayName: 'Grace', bio: 'compilers' } });
    expect(patched.status).toBe(200);
    expect(patched.json).toMatchObject({ id: 3, displayName: 'Grace', bio: 'compilers' });
    const after = await h.call('users', 'GET', '/api/users/3');
    expect(after.json).toMatchObject({ displayName: 'Grace', bio: 'compilers' });
    expect(after.headers.get('x-cache')).toBe('miss');
  });

  it('answers 404 for a user that does not exist and 400 naming id for a bad id', async () => {
    const missing = await h.call('users', 'GET', '/api/users/999');
    expect(missing.status).toBe(404);
    expect(missing.json).toEqual({ error: { code: 'NOT_FOUND', message: 'user 999 does not exist' } });
    const bad = await h.call('users', 'GET', '/api/users/abc');
    expect(bad.status).toBe(400);
    expect(bad.json.error.field).toBe('id');
  });

  it('refuses a PATCH without the caller header (401) and on someone else (403)', async () => {
    expect((await h.call('users', 'PATCH', '/api/users/3', { body: { bio: 'x' } })).status).toBe(401);
    const other = await h.call('users', 'PATCH', '/api/users/3', { as: 4, body: { bio: 'hijacked' } });
    expect(other.status).toBe(403);
    expect(other.json.error.message).toBe('user 4 cannot edit the profile of user 3');
    expect((await h.call('users', 'GET', '/api/users/3')).json.bio).toBe('compilers');
  });

  it('answers 400 naming the failing field of a PATCH body', async () => {
    const r = await h.call('users', 'PATCH', '/api/users/3', { as: 3, body: { bio: 'x'.repeat(501) } });
    expect(r.status).toBe(400);
    expect(r.json.error).toEqual({ code: 'VALIDATION_FAILED', message: 'body.bio: must be at most 500 characters', field: 'bio' });
  });
});

describe('POST and DELETE /api/users/:id/follow', () => {
  it('follows once, publishes follow.created to the followee, and drops the follower\'s feed pages', async () => {
    const conn = await amqp.connect(stack.urls.amqp);
    const ch = await conn.createChannel();
    await ch.assertExchange(EVENTS_EXCHANGE, 'topic', { durable: true });
    const { queue } = await ch.assertQueue('', { exclusive: true });
    await ch.bindQueue(queue, EVENTS_EXCHANGE, 'follow.created');
    try {
      // User 1's feed is empty and cached; after following user 2 it must show user 2's posts at once.
      expect((await h.call('posts', 'GET', '/api/feed', { as: 1 })).json.items).toEqual([]);
      expect((await h.call('posts', 'GET', '/api/feed', { as: 1 })).headers.get('x-cache')).toBe('hit');
      const r = await h.call('users', 'POST', '/api/users/2/follow', { as: 1 });
      expect(r.status).toBe(201);
      expect(r.json).toEqual({ following: true, changed: true, eventPublished: true });
      // Redis is invalidated at once; the posts service's in-process L1 (another service) holds its
      // copy for at most DEFAULT_L1_TTL_MS, the framework's bound on cross-service staleness.
      const t0 = Date.now();
      let feed = await h.call('posts', 'GET', '/api/feed', { as: 1 });
      while (feed.json.items.length === 0 && Date.now() - t0 < DEFAULT_L1_TTL_MS + 5_000) {
        await new Promise((res) => setTimeout(res, 100));
        feed = await h.call('posts', 'GET', '/api/feed', { as: 1 });
      }
      expect(Date.now() - t0).toBeLessThanOrEqual(DEFAULT_L1_TTL_MS + 3_000);
      expect(feed.json.items).toHaveLength(20);
      expect(feed.json.items[0].author).toEqual({ id: 2, username: 'user2', displayName: 'User 2' });

      const again = await h.call('users', 'POST', '/api/users/2/follow', { as: 1 });
      expect(again.status).toBe(200);
      expect(again.json).toEqual({ following: true, changed: false });
      expect((await h.sql.query('SELECT count(*)::int AS n FROM follows WHERE follower_id = 1 AND followee_id = 2')).rows[0].n).toBe(1);

      const msg = await getOne(ch, queue);
      expect(JSON.parse(msg)).toMatchObject({ type: 'follow.created', recipients: [2], payload: { followerId: 1, followeeId: 2 }, source: 'users' });
    } finally {
      await conn.close();
    }
  });

  it('unfollows, and refuses self-follows, unknown users and anonymous callers', async () => {
    await h.call('users', 'POST', '/api/users/4/follow', { as: 5 });
    expect((await h.call('users', 'DELETE', '/api/users/4/follow', { as: 5 })).json).toEqual({ following: false, changed: true });
    expect((await h.call('users', 'DELETE', '/api/users/4/follow', { as: 5 })).json).toEqual({ following: false, changed: false });
    const self = await h.call('users', 'POST', '/api/users/5/follow', { as: 5 });
    expect(self.status).toBe(400);
    expect(self.json.error.field).toBe('id');
    expect((await h.call('users', 'POST', '/api/users/999/follow', { as: 5 })).status).toBe(404);
    expect((await h.call('users', 'POST', '/api/users/4/follow')).status).toBe(401);
  });
});

describe('GET /api/users/:id/posts', () => {
  it('pages newest first with keyset cursors and no gaps or repeats', async () => {
    h.switches['keyset-paging'] = true;
    const seen = await pageThrough('/api/users/2/posts?limit=20');
    expect(seen).toHaveLength(45);
    expect(new Set(seen).size).toBe(45);
    expect(seen[0]).toBe('post 1 of user 2');
    expect(seen[44]).toBe('post 45 of user 2');
  });

  it('pages with OFFSET cursors when keyset-paging is off, with the same rows', async () => {
    h.switches['keyset-paging'] = false;
    try {
      const first = await h.call('users', 'GET', '/api/users/2/posts?limit=20');
      expect(decodeCursor(first.json.nextCursor)).toEqual({ kind: 'offset', offset: 20 });
      h.queries.length = 0;
      const seen = await pageThrough('/api/users/2/posts?limit=20');
      expect(seen).toHaveLength(45);
      expect(h.queries).toContain('get_user_posts_offset');
      expect(h.queries).not.toContain('get_user_posts_keyset');
    } finally {
      h.switches['keyset-paging'] = true;
    }
  });

  it('caps limit at the maximum page size and runs the catalog text for the default page', async () => {
    const big = await h.call('users', 'GET', '/api/users/2/posts?limit=1000');
    expect(big.json.items).toHaveLength(45);
    const capped = await h.call('users', 'GET', '/api/users/5/posts?limit=1000');
    expect(capped.json.items).toHaveLength(50);
    h.queries.length = 0;
    const page = await h.call('users', 'GET', '/api/users/2/posts');
    expect(page.json.items).toHaveLength(20);
    expect(h.queries).toEqual(['get_user_posts']);
    expect((await h.call('users', 'GET', '/api/users/2/posts?limit=0')).json.error.field).toBe('limit');
    expect((await h.call('users', 'GET', '/api/users/2/posts?cursor=garbage!')).json.error.field).toBe('cursor');
  });

  it('hides soft-deleted posts', async () => {
    await h.sql.query("UPDATE posts SET deleted_at = now() WHERE user_id = 2 AND body = 'post 1 of user 2'");
    const page = await h.call('users', 'GET', '/api/users/2/posts');
    expect(page.json.items[0].body).toBe('post 2 of user 2');
  });
});

describe('get_user_posts plan: baseline vs optimized (NV-1)', () => {
  it('has a Sort node with only posts(user_id), and none with the partial composite index', async () => {
    await seedPosts(h.sql, 4, 20_000);
    for (const u of [1, 3, 5]) await seedPosts(h.sql, u, 500);
    await h.sql.query('ANALYZE posts');
    await applyIndexSwitches(h.sql, { 'idx-posts-user-created': false });
    const baseline = await planNodes(4);
    expect(baseline).toContain('Sort');
    await applyIndexSwitches(h.sql, { 'idx-posts-user-created': true });
    const optimized = await planNodes(4);
    expect(optimized).not.toContain('Sort');
    expect(optimized).toContain('Index Scan');
  });
});

async function pageThrough(path: string): Promise<string[]> {
  const bodies: string[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < 10; i++) {
    const r = await h.call('users', 'GET', cursor ? `${path}&cursor=${cursor}` : path);
    expect(r.status).toBe(200);
    bodies.push(...r.json.items.map((p: { body: string }) => p.body));
    cursor = r.json.nextCursor;
    if (!cursor) break;
  }
  return bodies;
}

async function planNodes(userId: number): Promise<string[]> {
  const r = await h.sql.query(`EXPLAIN (FORMAT JSON) ${SQL.get_user_posts}`, [userId]);
  const out: string[] = [];
  const walk = (n: { 'Node Type': string; Plans?: unknown[] }) => {
    out.push(n['Node Type']);
    for (const c of n.Plans ?? []) walk(c as never);
  };
  walk(r.rows[0]['QUERY PLAN'][0].Plan);
  return out;
}

async function getOne(ch: amqp.Channel, queue: string): Promise<string> {
  for (let i = 0; i < 50; i++) {
    const m = await ch.get(queue, { noAck: true });
    if (m) return m.content.toString('utf8');
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no message on ${queue} within 2.5 s`);
}
