import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { client, openPlatform, register, type TestPlatform } from './gateway/int-fixture.ts';

const stack = inject('stack');

describe('the platform split into one process per service', () => {
  let t: TestPlatform;
  beforeAll(async () => {
    t = await openPlatform(stack, 'split', { split: true, variant: 'baseline' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('serves requests through the gateway with each service in its own process', async () => {
    const s = await register(t.platform.services.gateway!, 'splitter', '192.0.2.1');
    const r = await client(t.platform.services.gateway!)('GET', `/api/users/${s.userId}`, { token: s.accessToken });
    expect(r.status).toBe(200);
    expect(r.body.username).toBe('splitter');
  });

  it('tells every service process about a switch flipped on the gateway', async () => {
    const gw = t.platform.services.gateway!;
    const put = await client(gw, '127.0.0.1')('PUT', '/admin/switches', { body: { switches: { cache: true } } });
    expect(put.status).toBe(200);
    expect(put.body.remotes).toHaveLength(5);
    expect(put.body.remotes.every((r: { ok: boolean }) => r.ok)).toBe(true);
    for (const id of ['auth', 'users', 'posts', 'comments', 'search']) {
      const h = await fetch(`${t.platform.services[id]}/health`).then((x) => x.json() as Promise<{ switches: { cache: boolean; pooling: boolean } }>);
      expect(h.switches, id).toMatchObject({ cache: true, pooling: false });
    }
  });

  it('answers 503 naming the service once its process is stopped (breakers off in baseline)', async () => {
    const s = await register(t.platform.services.gateway!, 'splitter2', '192.0.2.2');
    await t.platform.stopService('users');
    const r = await client(t.platform.services.gateway!)('GET', `/api/users/${s.userId}`, { token: s.accessToken });
    expect(r.status).toBe(503);
    expect(r.body.error.code).toBe('DEPENDENCY_UNAVAILABLE');
    expect(r.body.error.field).toBe('users');
  });
});
