import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { request } from 'undici';
import { gunzipSync } from 'node:zlib';
import pg from 'pg';
import { indexState } from '../../sql-audit/migrate.ts';
import { client, openPlatform, register, type Reply, type TestPlatform } from './int-fixture.ts';

const stack = inject('stack');

describe('the gateway in front of the services (optimized, real stack)', () => {
  let t: TestPlatform;
  let gw: string;
  beforeAll(async () => {
    t = await openPlatform(stack, 'main', { toxiproxyHops: true, hopPrefix: 'gwtest-', proxiedInfra: true });
    gw = t.platform.services.gateway!;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('registers, logs in, rotates the refresh token and refuses the old one, and logs out', async () => {
    const call = client(gw, '198.51.100.10');
    const reg = await call('POST', '/api/auth/register', { body: { username: 'alice', email: 'alice@example.test', password: 'correct horse battery' } });
    expect(reg.status).toBe(201);
    expect(reg.body).toMatchObject({ user: { username: 'alice' }, tokenType: 'Bearer', expiresInS: 900, refreshExpiresInS: 604800 });

    const login = await call('POST', '/api/auth/login', { body: { username: 'alice', password: 'correct horse battery' } });
    expect(login.status).toBe(200);
    const wrong = await call('POST', '/api/auth/login', { body: { username: 'alice', password: 'not the password' } });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error).toEqual({ code: 'UNAUTHENTICATED', message: 'wrong username or password' });

    const rotated = await call('POST', '/api/auth/refresh', { body: { refreshToken: login.body.refreshToken } });
    expect(rotated.status).toBe(200);
    expect(rotated.body.refreshToken).not.toBe(login.body.refreshToken);
    const reused = await call('POST', '/api/auth/refresh', { body: { refreshToken: login.body.refreshToken } });
    expect(reused.status).toBe(401);
    expect(reused.body.error.message).toBe('refresh token has been revoked');
    // Reuse of a revoked token revokes the whole family: the token issued by the rotation is dead too.
    const afterReuse = await call('POST', '/api/auth/refresh', { body: { refreshToken: rotated.body.refreshToken } });
    expect(afterReuse.status).toBe(401);

    const again = await call('POST', '/api/auth/login', { body: { username: 'alice@example.test', password: 'correct horse battery' } });
    expect(again.status).toBe(200);
    expect((await call('POST', '/api/auth/logout', { body: { refreshToken: again.body.refreshToken } })).status).toBe(204);
    const afterLogout = await call('POST', '/api/auth/refresh', { body: { refreshToken: again.body.refreshToken } });
    expect(afterLogout.status).toBe(401);

    // The access token works on a protected route.
    const me = await call('GET', `/api/users/${reg.body.user.id}`, { token: reg.body.accessToken });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id: reg.body.user.id, username: 'alice' });
  });

  it('answers 409 naming the field when the username is taken', async () => {
    await register(gw, 'dupe', '198.51.100.20');
    const r = await client(gw, '198.51.100.21')('POST', '/api/auth/register', { body: { username: 'dupe', email: 'other@example.test', password: 'correct horse battery' } });
    expect(r.status).toBe(409);
    expect(r.body.error).toEqual({ code: 'CONFLICT', message: 'username is already taken', field: 'username' });
  });

  it('answers 401 without a token and with a bad one', async () => {
    const call = client(gw);
    const none = await call('GET', '/api/feed');
    expect(none.status).toBe(401);
    expect(none.body.error).toEqual({ code: 'UNAUTHENTICATED', message: 'missing bearer token (Authorization: Bearer <accessToken>)' });
    const bad = await call('GET', '/api/feed', { token: 'not.a.jwt' });
    expect(bad.status).toBe(401);
    expect(bad.body.error.message).toBe('access token is invalid or expired');
  });

  it('answers 400 naming the failing field of a body', async () => {
    const call = client(gw, '198.51.100.30');
    const r = await call('POST', '/api/auth/register', { body: { username: 'bob', email: 'not-an-email', password: 'correct horse battery' } });
    expect(r.status).toBe(400);
    expect(r.body.error).toEqual({ code: 'VALIDATION_FAILED', message: 'body.email: must be an email address', field: 'email' });
    const s = await register(gw, 'poster', '198.51.100.31');
    const empty = await call('POST', '/api/posts', { token: s.accessToken, body: { body: '' } });
    expect(empty.status).toBe(400);
    expect(empty.body.error.field).toBe('body');
    const notJson = await call('POST', '/api/posts', { token: s.accessToken, body: '{"body": ', headers: { 'content-type': 'application/json' } });
    expect(notJson.status).toBe(400);
    expect(notJson.body.error).toEqual({ code: 'VALIDATION_FAILED', message: 'request body is not valid JSON', field: 'body' });
  });

  it('serves posts, the feed, comments and search through the gateway', async () => {
    const writer = await register(gw, 'writer', '198.51.100.40');
    const reader = await register(gw, 'reader', '198.51.100.41');
    const call = client(gw, '198.51.100.42');
    expect((await call('POST', `/api/users/${writer.userId}/follow`, { token: reader.accessToken })).status).toBe(201);
    const post = await call('POST', '/api/posts', { token: writer.accessToken, body: { body: 'gateway tests write about lighthouses' } });
    expect(post.status).toBe(201);
    const feed = await call('GET', '/api/feed', { token: reader.accessToken });
    expect(feed.status).toBe(200);
    expect(feed.body.items.map((p: { id: number }) => p.id)).toContain(post.body.id);
    const mine = await call('GET', `/api/users/${writer.userId}/posts`, { token: reader.accessToken });
    expect(mine.body.items.map((p: { id: number }) => p.id)).toEqual([post.body.id]);
    expect((await call('POST', `/api/posts/${post.body.id}/comments`, { token: reader.accessToken, body: { body: 'bright idea' } })).status).toBe(201);
    const comments = await call('GET', `/api/posts/${post.body.id}/comments`, { token: writer.accessToken });
    expect(comments.body.items.map((c: { body: string }) => c.body)).toEqual(['bright idea']);
    const found = await call('GET', '/api/search/posts?q=lighthouses', { token: reader.accessToken });
    expect(found.body.items.map((p: { id: number }) => p.id)).toContain(post.body.id);
    const users = await call('GET', '/api/search/users?q=write', { token: reader.accessToken });
    expect(users.body.items.map((u: { username: string }) => u.username)).toContain('writer');
    const other = await call('DELETE', `/api/posts/${post.body.id}`, { token: reader.accessToken });
    expect(other.status).toBe(403);
    expect((await call('DELETE', `/api/posts/${post.body.id}`, { token: writer.accessToken })).status).toBeLessThan(300);
  });

  it('gzips a response over 1 KB and not a small one; not at all with compression off', async () => {
    const s = await register(gw, 'verbose', '198.51.100.50');
    const call = client(gw, '198.51.100.51');
    for (let i = 0; i < 6; i++) await call('POST', '/api/posts', { token: s.accessToken, body: { body: `post ${i} `.padEnd(300, 'lorem ipsum ') } });
    const raw = (path: string) => request(gw + path, { headers: { authorization: `Bearer ${s.accessToken}`, 'accept-encoding': 'gzip' } });

    const big = await raw(`/api/users/${s.userId}/posts`);
    const bigBody = Buffer.from(await big.body.arrayBuffer());
    expect(big.headers['content-encoding']).toBe('gzip');
    const plain = gunzipSync(bigBody);
    expect(plain.length).toBeGreaterThan(1024);
    expect(bigBody.length).toBeLessThan(plain.length);

    const small = await raw(`/api/users/${s.userId}`);
    const smallBody = Buffer.from(await small.body.arrayBuffer());
    expect(small.headers['content-encoding']).toBeUndefined();
    expect(smallBody.length).toBeLessThan(1024);

    t.platform.switches.set({ compression: false });
    try {
      const off = await raw(`/api/users/${s.userId}/posts`);
      await off.body.arrayBuffer();
      expect(off.headers['content-encoding']).toBeUndefined();
    } finally {
      t.platform.switches.set({ compression: true });
    }
  });

  it('reports the variant and switches at /health and serves the OpenAPI document and metrics', async () => {
    const call = client(gw);
    const h = await call('GET', '/health');
    expect(h.body).toMatchObject({ status: 'ok', variant: 'optimized', switches: { breakers: true, cache: true } });
    const api = await call('GET', '/openapi.yaml');
    expect(api.status).toBe(200);
    expect(api.body).toContain('/api/feed:');
    const m = await call('GET', '/metrics');
    expect(m.body).toContain('brink_http_request_duration_seconds_bucket{le="0.005",service="gateway",method="GET",route="/api/feed",status="401"}');
    expect(m.body).toMatch(/brink_db_pool_connections\{service="auth",module="auth",state="in_use"\}/);
    expect(m.body).toContain('brink_breaker_state{instance="gateway-1",service="posts"} 0');
    expect(m.body).toMatch(/brink_cache_lookups_total\{service="users",family="[a-z-]+",result="(miss|hit_l1|hit_redis)"\}/);
  });

  it('answers /health/ready 503 naming redis while its proxy is down, and 200 when it is back', async () => {
    const call = client(gw);
    expect((await call('GET', '/health/ready')).status).toBe(200);
    const toggle = (enabled: boolean) =>
      fetch(`${stack.urls.toxiproxy}/proxies/redis`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ enabled }) });
    expect((await toggle(false)).ok).toBe(true);
    try {
      const r = await call('GET', '/health/ready');
      expect(r.status).toBe(503);
      expect(r.body.failing).toEqual(['redis']);
      expect(r.body.reason).toMatch(/^not ready: redis \(/);
      expect(r.ms).toBeLessThan(5_000);
    } finally {
      await toggle(true);
    }
    // ioredis reconnects in the background (at most every 2 s).
    let status = 0;
    for (let i = 0; i < 20 && status !== 200; i++) {
      await new Promise((r) => setTimeout(r, 500));
      status = (await call('GET', '/health/ready')).status;
    }
    expect(status).toBe(200);
  });

  it('flips a switch live through PUT /admin/switches, indexes included', async () => {
    const call = client(gw, '127.0.0.1');
    const bad = await call('PUT', '/admin/switches', { body: { switches: { 'no-such-switch': true } } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('switches.no-such-switch');

    const off = await call('PUT', '/admin/switches', { body: { switches: { 'idx-posts-user-created': false, cache: false } } });
    expect(off.status).toBe(200);
    expect(off.body.changed.sort()).toEqual(['cache', 'idx-posts-user-created']);
    expect(off.body.migrations.changes.map((c: { id: string; direction: string }) => `${c.id} ${c.direction}`)).toEqual(['idx-posts-user-created down']);
    expect((await call('GET', '/health')).body.switches).toMatchObject({ 'idx-posts-user-created': false, cache: false });
    expect(t.platform.switches.current.cache).toBe(false);
    const pgc = new pg.Client({ connectionString: t.db.url });
    await pgc.connect();
    try {
      expect((await indexState(pgc))['idx-posts-user-created'].present).toEqual([]);
      const on = await call('PUT', '/admin/switches', { body: { switches: { 'idx-posts-user-created': true, cache: true } } });
      expect(on.status).toBe(200);
      expect((await indexState(pgc))['idx-posts-user-created'].applied).toBe(true);
    } finally {
      await pgc.end();
    }
    expect((await call('GET', '/admin/switches')).body.switches.cache).toBe(true);
  });

  it('hashes passwords on the event loop with hash-off-loop off and on the thread pool with it on', async () => {
    const hashCount = async (where: string) => {
      const m = /brink_password_hash_duration_seconds_count\{op="hash",where="(\w+)"\} (\d+)/g;
      const text = await t.platform.metrics.metrics();
      return [...text.matchAll(m)].filter((x) => x[1] === where).reduce((n, x) => n + Number(x[2]), 0);
    };
    const before = { loop: await hashCount('event_loop'), pool: await hashCount('thread_pool') };
    t.platform.switches.set({ 'hash-off-loop': false });
    try {
      await register(gw, 'onloop', '198.51.100.70');
    } finally {
      t.platform.switches.set({ 'hash-off-loop': true });
    }
    await register(gw, 'offloop', '198.51.100.71');
    expect((await hashCount('event_loop')) - before.loop).toBe(1);
    expect((await hashCount('thread_pool')) - before.pool).toBe(1);
  });

  it('gives up on a hung service after its own timeout (users: 5 s) with 504 naming it, through the Toxiproxy hop', async () => {
    const s = await register(gw, 'patient', '198.51.100.80');
    const hop = t.platform.hops.find((h) => h.name === 'gwtest-users');
    expect(hop).toBeDefined();
    const toxic = await fetch(`${stack.urls.toxiproxy}/proxies/gwtest-users/toxics`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'hang', type: 'timeout', stream: 'downstream', toxicity: 1, attributes: { timeout: 0 } }),
    });
    expect(toxic.ok).toBe(true);
    try {
      const r = await client(gw)('GET', `/api/users/${s.userId}`, { token: s.accessToken });
      expect(r.status).toBe(504);
      expect(r.body.error).toEqual({ code: 'TIMEOUT', message: 'users did not answer within 5000 ms', field: 'users' });
      expect(r.ms).toBeGreaterThanOrEqual(4_900);
    } finally {
      await fetch(`${stack.urls.toxiproxy}/proxies/gwtest-users/toxics/hang`, { method: 'DELETE' });
    }
  });

  it('opens the breaker when a service is stopped, then fails fast with 503 CIRCUIT_OPEN', async () => {
    const s = await register(gw, 'breaker', '198.51.100.60');
    const call = client(gw, '198.51.100.61');
    expect((await call('GET', '/api/search/posts?q=x', { token: s.accessToken })).status).toBe(200);
    await t.platform.stopService('search');
    const seen: number[] = [];
    let open: Reply | undefined;
    for (let i = 0; i < 40 && !open; i++) {
      const r = await call('GET', '/api/search/posts?q=x', { token: s.accessToken });
      seen.push(r.status);
      if (r.body?.error?.code === 'CIRCUIT_OPEN') open = r;
    }
    expect(seen.every((st) => st === 503)).toBe(true);
    expect(open).toBeDefined();
    expect(open!.body.error.message).toMatch(/^circuit breaker for search is open \(last failure: .+\); retry in \d+ s$/);
    expect(Number(open!.headers.get('retry-after'))).toBeGreaterThan(0);
    const next = await call('GET', '/api/search/posts?q=x', { token: s.accessToken });
    expect(next.body.error.code).toBe('CIRCUIT_OPEN');
    // Far below the 10 s the search timeout would allow: the breaker does not even try.
    expect(next.ms).toBeLessThan(1_000);
    const states = await call('GET', '/health/circuit-breakers');
    expect(states.body.breakers.find((b: { service: string }) => b.service === 'search')).toMatchObject({ state: 'open', config: { timeoutMs: 10_000, errorThresholdPercentage: 50, resetTimeoutMs: 30_000, volumeThreshold: 10 } });
    const ready = await call('GET', '/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.body.failing).toEqual(['search']);
  });
});
