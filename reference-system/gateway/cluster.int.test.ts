/**
 * Gateway processes behind one port (`brink stack up --gateway-instances N`): requests to the one
 * URL are served by two worker processes, a switch flipped through one worker reaches the other and
 * the in-process services, and the per-hop sums add up across workers (they meet in Redis).
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { get } from 'node:http';
import { client, openPlatform, register, type TestPlatform } from './int-fixture.ts';

const stack = inject('stack');

/** GET on a fresh connection: the cluster balances connections, not requests on a kept-alive one. */
function getFresh<T>(url: string): Promise<T> {
  return new Promise((resolve, reject) => {
    get(url, { agent: false }, (res) => {
      let text = '';
      res.on('data', (b: Buffer) => (text += b.toString()));
      res.on('end', () => resolve(JSON.parse(text) as T));
    }).on('error', reject);
  });
}

describe('a gateway cluster of two processes', () => {
  let t: TestPlatform;
  let gw: string;
  beforeAll(async () => {
    t = await openPlatform(stack, 'gwcluster', { gatewayProcesses: 2, realtime: false });
    gw = t.platform.gateways[0]!;
  });
  afterAll(async () => {
    await t?.close();
  });

  const loopPid = async () => (await getFresh<{ pid: number }>(`${gw}/health/loop`)).pid;

  it('serves one URL from two worker processes, neither of them this one', async () => {
    const pids = new Set<number>();
    for (let i = 0; i < 40 && pids.size < 2; i++) pids.add(await loopPid());
    expect(pids.size).toBe(2);
    expect(pids.has(process.pid)).toBe(false);
  });

  it('passes a switch flipped through one worker to the other worker and to the services', async () => {
    const put = (on: boolean) => fetch(`${gw}/admin/switches`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ switches: { compression: on } }) });
    try {
      expect((await put(false)).status).toBe(200);
      // The services run in this process: the primary's store changed.
      await waitFor(() => t.platform.switches.current.compression === false);
      // Both workers answer with the new value: twenty answers in a row (round robin over two).
      const compressionNow = async () => (await getFresh<{ switches: { compression: boolean } }>(`${gw}/health`)).switches.compression;
      await waitFor(async () => {
        for (let i = 0; i < 20; i++) if ((await compressionNow()) !== false) return false;
        return true;
      });
    } finally {
      await put(true);
    }
  });

  it('adds up per-hop time from both workers, with the service and database parts from Server-Timing', async () => {
    const user = await register(gw, 'clusterhops', '203.0.113.77');
    const call = client(gw, '203.0.113.77');
    const before = ((await (await fetch(`${gw}/health/hops`)).json()) as Record<string, { requests: number }>).users?.requests ?? 0;
    for (let i = 0; i < 20; i++) {
      const r = await call('GET', `/api/users/${user.userId}/posts?limit=20`, { token: user.accessToken });
      expect(r.status).toBe(200);
      expect(r.headers.get('server-timing')).toMatch(/^gw;dur=[\d.]+, transit;dur=[\d.]+, users;dur=[\d.]+, db;dur=[\d.]+, total;dur=[\d.]+$/);
    }
    await waitFor(async () => {
      const hops = (await (await fetch(`${gw}/health/hops`)).json()) as Record<string, { requests: number; dbMs: number }>;
      return (hops.users?.requests ?? 0) - before === 20 && hops.users!.dbMs > 0;
    });
  });
});

async function waitFor(cond: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
