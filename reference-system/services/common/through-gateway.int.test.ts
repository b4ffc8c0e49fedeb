/**
 * The users, posts, comments and search services end to end: the real platform (startPlatform:
 * gateway with JWT verification, service servers, PgBouncer, Redis, RabbitMQ) on a fresh
 * database, every endpoint called through the gateway with a signed access token.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import pg from 'pg';
import { createDatabase, type CreatedDatabase } from '../../../stack/index.ts';
import { startPlatform, type StartedPlatform } from '../../platform.ts';
import { DEFAULT_L1_TTL_MS } from '../../shared/cache.ts';
import { createLogger } from '../../shared/logger.ts';
import { signAccessToken } from '../../shared/tokens.ts';
import { seedPosts, seedUsers } from './test-harness.ts';

const stack = inject('stack');
let db: CreatedDatabase;
let platform: StartedPlatform;
let gateway: string;
const tokens: Record<number, string> = {};

beforeAll(async () => {
  db = await createDatabase(stack, 'svc_gateway_it');
  const sql = new pg.Client({ connectionString: db.url });
  await sql.connect();
  try {
    await seedUsers(sql, 3);
    await seedPosts(sql, 2, 30);
    await sql.query(`UPDATE users SET username = 'ada_lovelace', display_name = 'Ada Lovelace' WHERE id = 3`);
  } finally {
    await sql.end();
  }
  platform = await startPlatform({ infra: stack, variant: 'optimized', database: db.name, realtime: false, log: createLogger({ name: 'gw-it', level: 'error' }) });
  gateway = platform.services.gateway!;
  for (const id of [1, 2, 3]) tokens[id] = await signAccessToken(platform.jwtSecret, id);
});
afterAll(async () => {
  await platform?.stop();
  await db?.drop();
});

async function api(method: string, path: string, opts: { as?: number; body?: unknown; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.as !== undefined) headers.authorization = `Bearer ${tokens[opts.as]}`;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${gateway}${path}`, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}

describe('through the gateway', () => {
  it('serves and updates profiles; a forged x-user-id cannot act as someone else', async () => {
    expect((await api('GET', '/api/users/2', { as: 1 })).json).toMatchObject({ id: 2, username: 'user2' });
    const forged = await api('PATCH', '/api/users/2', { as: 1, body: { bio: 'pwned' }, headers: { 'x-user-id': '2' } });
    expect(forged.status).toBe(403);
    expect((await api('PATCH', '/api/users/1', { as: 1, body: { bio: 'hello' } })).json.bio).toBe('hello');
    expect((await api('GET', '/api/users/1', { as: 1 })).json.bio).toBe('hello');
    expect((await api('GET', '/api/users/1')).status).toBe(401);
  });

  it('follows, builds the home feed with authors, pages a user\'s posts', async () => {
    expect((await api('POST', '/api/users/2/follow', { as: 1 })).status).toBe(201);
    const feed = await api('GET', '/api/feed?limit=10', { as: 1 });
    expect(feed.status).toBe(200);
    expect(feed.json.items).toHaveLength(10);
    expect(feed.json.items[0]).toMatchObject({ authorId: 2, body: 'post 1 of user 2', author: { username: 'user2' } });
    const page2 = await api('GET', `/api/users/2/posts?limit=20&cursor=${(await api('GET', '/api/users/2/posts', { as: 1 })).json.nextCursor}`, { as: 1 });
    expect(page2.json.items.map((p: { body: string }) => p.body)).toEqual(Array.from({ length: 10 }, (_, i) => `post ${21 + i} of user 2`));
    expect((await api('DELETE', '/api/users/2/follow', { as: 1 })).json).toEqual({ following: false, changed: true });
  });

  it('creates, comments on, and deletes a post; trending and search find posts', async () => {
    const post = await api('POST', '/api/posts', { as: 3, body: { body: 'Compilers translate programs between languages' } });
    expect(post.status).toBe(201);
    const comment = await api('POST', `/api/posts/${post.json.id}/comments`, { as: 1, body: { body: 'so true' } });
    expect(comment.status).toBe(201);
    expect((await api('GET', `/api/posts/${post.json.id}/comments`, { as: 2 })).json.items.map((c: { body: string }) => c.body)).toEqual(['so true']);
    const trending = await api('GET', '/api/posts/trending?limit=3', { as: 2 });
    expect(trending.json).toMatchObject({ degraded: false });
    expect(trending.json.items[0].id).toBe(post.json.id);
    const found = await api('GET', '/api/search/posts?q=compiler%20language', { as: 2 });
    expect(found.json.items.map((p: { id: number }) => p.id)).toEqual([post.json.id]);
    expect((await api('GET', '/api/search/users?q=lovelace', { as: 2 })).json.items[0]).toEqual({ id: 3, username: 'ada_lovelace', displayName: 'Ada Lovelace' });
    expect((await api('DELETE', `/api/posts/${post.json.id}`, { as: 1 })).status).toBe(403);
    expect((await api('DELETE', `/api/posts/${post.json.id}`, { as: 3 })).status).toBe(204);
    // The comments service's own in-process L1 copy may outlive the posts service's invalidation
    // by at most DEFAULT_L1_TTL_MS (separate services, separate L1s); Redis is dropped at once.
    const t0 = Date.now();
    let after = await api('GET', `/api/posts/${post.json.id}/comments`, { as: 2 });
    while (after.status === 200 && Date.now() - t0 < DEFAULT_L1_TTL_MS + 5_000) {
      await new Promise((res) => setTimeout(res, 100));
      after = await api('GET', `/api/posts/${post.json.id}/comments`, { as: 2 });
    }
    expect(after.status).toBe(404);
    expect(Date.now() - t0).toBeLessThanOrEqual(DEFAULT_L1_TTL_MS + 3_000);
  });

  it('refuses bad input with 400 naming the field', async () => {
    const r = await api('GET', '/api/search/posts?q=', { as: 1 });
    expect(r.status).toBe(400);
    expect(r.json.error.field).toBe('q');
    expect((await api('POST', '/api/posts', { as: 1, body: { body: 'x'.repeat(5001) } })).json.error.field).toBe('body');
  });

  it('switches search to LIKE on the running platform', async () => {
    platform.switches.set({ 'fulltext-search': false });
    try {
      const r = await api('GET', '/api/search/posts?q=post%2017%20of', { as: 1 });
      expect(r.json.query).toBe('search_posts_like');
      expect(r.json.items.map((p: { body: string }) => p.body)).toEqual(['post 17 of user 2']);
    } finally {
      platform.switches.set({ 'fulltext-search': true });
    }
  });
});
