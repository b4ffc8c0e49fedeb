import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import pg from 'pg';
import { SQL } from '../../../sql-audit/catalog.ts';
import { seedPosts, seedUsers, startHarness, type Harness } from '../common/test-harness.ts';
import { commentsService } from '../comments/index.ts';
import { postsService } from './index.ts';

const stack = inject('stack');
let h: Harness;

beforeAll(async () => {
  h = await startHarness(stack, 'svc_posts_it', [postsService, commentsService], { variant: 'optimized', statementTimeoutMs: 300 });
  await seedUsers(h.sql, 12);
  // User 1 follows users 2..6, each with 8 posts: 40 posts in the feed, five authors.
  for (let u = 2; u <= 6; u++) {
    await seedPosts(h.sql, u, 8);
    await h.sql.query('INSERT INTO follows (follower_id, followee_id) VALUES (1, $1)', [u]);
  }
});
afterAll(async () => h?.close());

describe('POST and DELETE /api/posts', () => {
  it('creates a post for the caller and soft-deletes it for its author only', async () => {
    const created = await h.call('posts', 'POST', '/api/posts', { as: 7, body: { body: 'hello from seven' } });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ authorId: 7, body: 'hello from seven', likeCount: 0, commentCount: 0 });
    const id = created.json.id as number;

    const notMine = await h.call('posts', 'DELETE', `/api/posts/${id}`, { as: 8 });
    expect(notMine.status).toBe(403);
    expect(notMine.json.error.message).toBe(`user 8 cannot delete post ${id} of user 7`);
    expect((await h.call('posts', 'DELETE', `/api/posts/${id}`)).status).toBe(401);

    expect((await h.call('posts', 'DELETE', `/api/posts/${id}`, { as: 7 })).status).toBe(204);
    const row = (await h.sql.query('SELECT deleted_at FROM posts WHERE id = $1', [id])).rows[0];
    expect(row.deleted_at).toBeInstanceOf(Date);
    expect((await h.call('posts', 'DELETE', `/api/posts/${id}`, { as: 7 })).status).toBe(404);
  });

  it('refuses bodies outside 1..5000 characters and unauthenticated writes', async () => {
    const long = await h.call('posts', 'POST', '/api/posts', { as: 7, body: { body: 'x'.repeat(5001) } });
    expect(long.status).toBe(400);
    expect(long.json.error).toEqual({ code: 'VALIDATION_FAILED', message: 'body.body: must be at most 5000 characters', field: 'body' });
    expect((await h.call('posts', 'POST', '/api/posts', { as: 7, body: { body: '' } })).json.error.field).toBe('body');
    expect((await h.call('posts', 'POST', '/api/posts', { body: { body: 'anon' } })).status).toBe(401);
  });

  it('drops the post\'s cached comment pages on delete', async () => {
    const post = (await h.call('posts', 'POST', '/api/posts', { as: 9, body: { body: 'to be deleted' } })).json;
    await h.call('comments', 'POST', `/api/posts/${post.id}/comments`, { as: 10, body: { body: 'first!' } });
    expect((await h.call('comments', 'GET', `/api/posts/${post.id}/comments`)).json.items).toHaveLength(1);
    await h.call('posts', 'DELETE', `/api/posts/${post.id}`, { as: 9 });
    const keys = await h.contexts.posts!.redis.keys(`test:svc_posts_it:comments:${post.id}:*`);
    expect(keys).toEqual([]);
  });
});

describe('GET /api/feed', () => {
  it('answers 401 without a caller', async () => {
    expect((await h.call('posts', 'GET', '/api/feed')).status).toBe(401);
  });

  it('lists the followees\' posts newest first with their authors, pages by keyset without gaps', async () => {
    const bodies: string[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 10; i++) {
      const r = await h.call('posts', 'GET', `/api/feed?limit=15${cursor ? `&cursor=${cursor}` : ''}`, { as: 1 });
      expect(r.status).toBe(200);
      for (const item of r.json.items) {
        expect(item.author.id).toBe(item.authorId);
        bodies.push(item.body);
      }
      cursor = r.json.nextCursor;
      if (!cursor) break;
    }
    expect(bodies).toHaveLength(40);
    expect(new Set(bodies).size).toBe(40);
    // Seeded one a minute going back from now per author: "post 1" of each is the newest.
    expect(bodies.slice(0, 5).every((b) => b.startsWith('post 1 of user'))).toBe(true);
  });

  it('hydrates authors with one batched query when on, and one query per post (N+1) when off', async () => {
    h.switches.cache = false;
    // The catalog's feed query (NV-3), not the followee merge.
    h.switches['feed-followee-merge'] = false;
    try {
      h.switches['batched-hydration'] = true;
      h.queries.length = 0;
      const batched = await h.call('posts', 'GET', '/api/feed?limit=20', { as: 1 });
      expect(batched.json.items).toHaveLength(20);
      expect(h.queries).toEqual(['fetch_chronological_feed', 'hydrate_authors']);

      const before = await statementCalls(SQL.hydrate_author);
      h.switches['batched-hydration'] = false;
      h.queries.length = 0;
      const nPlusOne = await h.call('posts', 'GET', '/api/feed?limit=20', { as: 1 });
      expect(h.queries.filter((q) => q === 'hydrate_author')).toHaveLength(20);
      expect(h.queries.filter((q) => q === 'hydrate_authors')).toHaveLength(0);
      // Postgres itself saw the 20 round trips, not just our wrapper.
      expect((await statementCalls(SQL.hydrate_author)) - before).toBe(20);
      expect(nPlusOne.json.items).toEqual(batched.json.items);
    } finally {
      h.switches['batched-hydration'] = true;
      h.switches.cache = true;
      h.switches['feed-followee-merge'] = true;
    }
  });

  it('answers 200 with an empty page to 100 concurrent feed requests of a reader who follows nobody, without a posts query under the merge', async () => {
    for (const [reader, merge] of [[8, true], [9, false]] as const) {
      h.switches['feed-followee-merge'] = merge;
      try {
        h.queries.length = 0;
        const answers = await Promise.all(Array.from({ length: 100 }, () => h.call('posts', 'GET', '/api/feed?limit=20', { as: reader })));
        expect(answers.map((a) => a.status).filter((st) => st !== 200)).toEqual([]);
        expect(answers.every((a) => a.json.items.length === 0 && a.json.nextCursor === null)).toBe(true);
        // outbox_claim is the comments outbox relay polling every second in the background, not a
        // feed query: 100 requests on a busy machine take long enough for a poll to land among them.
        if (merge) expect(h.queries.filter((q) => q !== 'count_followees_capped' && q !== 'outbox_claim')).toEqual([]);
        else expect(h.queries).toContain('fetch_chronological_feed');
      } finally {
        h.switches['feed-followee-merge'] = true;
      }
    }
  });

  it('rebuilds a slow cold page once while 40 concurrent callers wait for it, and every caller gets a 200', async () => {
    for (let u = 2; u <= 6; u++) await h.sql.query('INSERT INTO follows (follower_id, followee_id) VALUES (10, $1)', [u]);
    const before = await counterValue('brink_feed_rebuilds_total');
    // A lock on posts holds the rebuild's query: the rebuild takes as long as the lock is held,
    // far longer than the 200 ms after which waiters used to rebuild on their own (issue 14).
    const locker = new pg.Client({ connectionString: h.db.url });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE posts IN ACCESS EXCLUSIVE MODE');
      const pending = Promise.all(Array.from({ length: 40 }, () => h.call('posts', 'GET', '/api/feed', { as: 10 })));
      await waitUntil(async () => (await blockedOnPosts()) > 0, 30_000);
      await new Promise((r) => setTimeout(r, 600));
      await locker.query('ROLLBACK');
      const answers = await pending;
      expect(answers.map((a) => a.status).filter((st) => st !== 200)).toEqual([]);
      expect(answers.every((a) => a.json.items.length === 20)).toBe(true);
      expect((await counterValue('brink_feed_rebuilds_total')) - before).toBe(1);
    } finally {
      await locker.query('ROLLBACK').catch(() => undefined);
      await locker.end();
    }
  });

  it('rebuilds a cold feed page once under 50 concurrent misses with the stampede lock, more often without', async () => {
    const rebuilds = async () => counterValue('brink_feed_rebuilds_total');
    const burst = async (userId: number) => {
      const before = await rebuilds();
      const answers = await Promise.all(Array.from({ length: 50 }, () => h.call('posts', 'GET', '/api/feed', { as: userId })));
      expect(answers.every((a) => a.status === 200 && a.json.items.length === 20)).toBe(true);
      return (await rebuilds()) - before;
    };
    // Users 11 and 12 follow the same five authors; each burst hits a cold key.
    for (const follower of [11, 12]) for (let u = 2; u <= 6; u++) await h.sql.query('INSERT INTO follows (follower_id, followee_id) VALUES ($1, $2)', [follower, u]);
    h.switches['stampede-lock'] = true;
    expect(await burst(11)).toBe(1);
    h.switches['stampede-lock'] = false;
    try {
      expect(await burst(12)).toBeGreaterThan(1);
    } finally {
      h.switches['stampede-lock'] = true;
    }
  });
});

describe('GET /api/posts/trending', () => {
  it('ranks the last day\'s posts by likes and comments', async () => {
    await h.sql.query("UPDATE posts SET like_count = 50 WHERE body = 'post 3 of user 4'");
    const r = await h.call('posts', 'GET', '/api/posts/trending?limit=5');
    expect(r.status).toBe(200);
    expect(r.json.degraded).toBe(false);
    expect(r.json.items[0].body).toBe('post 3 of user 4');
  });

  it('answers an empty degraded list when the query outlives its statement timeout, and waits without the switch', async () => {
    // A lock on posts makes the ranking query wait: statement_timeout counts lock waits too.
    const locker = new pg.Client({ connectionString: h.db.url });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE posts IN ACCESS EXCLUSIVE MODE');
      const t0 = Date.now();
      const r = await h.call('posts', 'GET', '/api/posts/trending');
      expect(r.status).toBe(200);
      expect(r.json).toEqual({ items: [], degraded: true, reason: 'trending_posts exceeded its 300 ms statement timeout' });
      expect(Date.now() - t0).toBeLessThan(10_000);

      h.switches['statement-timeouts'] = false;
      const pending = h.call('posts', 'GET', '/api/posts/trending');
      const settled = await Promise.race([pending.then(() => 'answered'), new Promise((res) => setTimeout(() => res('still waiting'), 1_500))]);
      expect(settled).toBe('still waiting');
      await locker.query('ROLLBACK');
      const late = await pending;
      expect(late.json.degraded).toBe(false);
      expect(late.json.items.length).toBeGreaterThan(0);
    } finally {
      h.switches['statement-timeouts'] = true;
      await locker.query('ROLLBACK').catch(() => undefined);
      await locker.end();
    }
  });
});

async function statementCalls(text: string): Promise<number> {
  const r = await h.sql.query(
    `SELECT coalesce(sum(s.calls), 0)::int AS calls FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
     WHERE d.datname = $1 AND s.query = $2`,
    [h.db.name, text],
  );
  return r.rows[0].calls;
}

/** Queries of this test's database waiting for a lock on posts. */
async function blockedOnPosts(): Promise<number> {
  const r = await h.sql.query(
    `SELECT count(*)::int AS n FROM pg_locks l JOIN pg_database d ON d.oid = l.database
     WHERE d.datname = $1 AND NOT l.granted AND l.relation = 'posts'::regclass`,
    [h.db.name],
  );
  return r.rows[0].n;
}

async function waitUntil(cond: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function counterValue(name: string): Promise<number> {
  const metric = h.contexts.posts!.metrics.getSingleMetric(name);
  if (!metric) return 0;
  const data = await metric.get();
  return data.values.reduce((sum, v) => sum + v.value, 0);
}
