import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { client, openPlatform, register, type TestPlatform } from './int-fixture.ts';

const stack = inject('stack');

describe('login rate limiting across two gateway instances (NF-6)', () => {
  let t: TestPlatform;
  let a: string;
  let b: string;
  beforeAll(async () => {
    t = await openPlatform(stack, 'ratelimit', { gatewayInstances: 2, proxiedInfra: true });
    [a, b] = t.platform.gateways as [string, string];
    await register(a, 'limited', '203.0.113.1');
  });
  afterAll(async () => {
    await t?.close();
  });

  const login = (gw: string, ip: string) => client(gw, ip)('POST', '/api/auth/login', { body: { username: 'limited', password: 'correct horse battery' } });

  it('returns 429 with Retry-After on the sixth login in 15 minutes, counted across both gateways (redis-rate-limit on)', async () => {
    const ip = '203.0.113.10';
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await login(i % 2 === 0 ? a : b, ip)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    const sixth = await login(b, ip);
    expect(sixth.status).toBe(429);
    const retryAfterS = Number(sixth.headers.get('retry-after'));
    expect(retryAfterS).toBeGreaterThan(14 * 60);
    expect(retryAfterS).toBeLessThanOrEqual(15 * 60);
    expect(sixth.body.error.code).toBe('RATE_LIMITED');
    expect(sixth.body.error.message).toMatch(/^rate limit "login" exceeded: 5 requests per 15 min per ip; retry in \d+ s$/);
    // Another client is not affected.
    expect((await login(a, '203.0.113.11')).status).toBe(200);
  });

  it('fails open when Redis is unreachable, and counts it', async () => {
    const toggle = (enabled: boolean) =>
      fetch(`${stack.urls.toxiproxy}/proxies/redis`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ enabled }) });
    const errorsOf = async () => Number(/brink_rate_limit_redis_errors_total\{instance="gateway-1"\} (\d+)/.exec(await t.platform.metrics.metrics())?.[1] ?? 0);
    const before = await errorsOf();
    // The auth breaker would open on auth's 503s and keep answering CIRCUIT_OPEN for 20 s after
    // Redis is back; this test is about the limiter, so breakers are off for its duration.
    t.platform.switches.set({ breakers: false });
    expect((await toggle(false)).ok).toBe(true);
    let status = 0;
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++) statuses.push((await login(a, '203.0.113.30')).status);
      // Never 429: the limiter lets requests through; auth itself answers 503 as it keeps refresh tokens in Redis.
      expect(statuses.filter((s) => s === 429)).toEqual([]);
      expect(statuses.every((s) => s === 503)).toBe(true);
      expect((await errorsOf()) - before).toBe(7);
    } finally {
      await toggle(true);
      // Every Redis client (gateway and auth) reconnects in the background, at most every 2 s.
      for (let i = 0; i < 20 && status !== 200; i++) {
        await new Promise((r) => setTimeout(r, 500));
        status = (await login(a, `203.0.113.${100 + i}`)).status;
      }
      t.platform.switches.set({ breakers: true });
    }
    expect(status).toBe(200);
  });

  it('lets each gateway allow 5 with redis-rate-limit off: 10 logins pass, the flaw NF-6 fixes', async () => {
    t.platform.switches.set({ 'redis-rate-limit': false });
    try {
      const ip = '203.0.113.20';
      const statuses: number[] = [];
      for (let i = 0; i < 10; i++) statuses.push((await login(i % 2 === 0 ? a : b, ip)).status);
      expect(statuses.filter((s) => s === 200)).toHaveLength(10);
      expect((await login(a, ip)).status).toBe(429);
      expect((await login(b, ip)).status).toBe(429);
    } finally {
      t.platform.switches.set({ 'redis-rate-limit': true });
    }
  });
});
