/**
 * The Toxiproxy client against a real toxiproxy-server (a private instance, so these toxics never
 * disturb the shared stack's proxies).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrinkError } from '../core/index.ts';
import { ToxiproxyClient } from '../stack/index.ts';
import { startToxiproxyFixture, timedGet, freeLoopbackPort, type ToxiproxyFixture } from './testing/toxiproxy-fixture.ts';
import { buildToxic } from '../stack/index.ts';

let fx: ToxiproxyFixture;
beforeAll(async () => {
  fx = await startToxiproxyFixture();
});
afterAll(async () => {
  await fx?.stop();
});

async function errorOf(p: Promise<unknown>): Promise<BrinkError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof BrinkError) return e;
    throw e;
  }
  throw new Error('expected a BrinkError');
}

describe('Toxiproxy client', () => {
  it('a latency toxic really delays each response by at least its latency', async () => {
    const before = await timedGet(fx.proxiedUrl);
    expect(before.status).toBe(200);
    await fx.client.addToxic('web', 'brink-test-latency', { ...buildToxic('latency', { latencyMs: 300 }), stream: 'downstream', toxicity: 1 });
    const during = await timedGet(fx.proxiedUrl);
    await fx.client.removeToxic('web', 'brink-test-latency');
    const after = await timedGet(fx.proxiedUrl);
    expect(during.status).toBe(200);
    expect(during.ms).toBeGreaterThanOrEqual(300);
    expect(after.status).toBe(200);
    expect(after.ms).toBeLessThan(during.ms);
  });

  it('lists toxics in brink names and clears only brink- toxics', async () => {
    await fx.client.addToxic('web', 'brink-a', { ...buildToxic('slicer', { averageSizeBytes: 64, sizeVariationBytes: 8, delayUs: 100 }), stream: 'downstream', toxicity: 1 });
    await fx.client.addToxic('web', 'someone-else', { ...buildToxic('latency', { latencyMs: 1 }), stream: 'upstream', toxicity: 0.5 });
    const web = await fx.client.getProxy('web');
    expect(web.toxics.map((t) => t.name).sort()).toEqual(['brink-a', 'someone-else']);
    expect(web.toxics.find((t) => t.name === 'brink-a')!.toxic).toEqual({
      type: 'slicer', stream: 'downstream', toxicity: 1, averageSizeBytes: 64, sizeVariationBytes: 8, delayUs: 100,
    });
    expect(await fx.client.brinkToxics()).toEqual(['web/brink-a']);
    expect(await fx.client.clearBrinkFaults()).toEqual(['web/brink-a']);
    expect((await fx.client.getProxy('web')).toxics.map((t) => t.name)).toEqual(['someone-else']);
    await fx.client.removeToxic('web', 'someone-else');
  });

  it('a disabled proxy refuses connections; clear re-enables it', async () => {
    await fx.client.setEnabled('web', false);
    expect((await timedGet(fx.proxiedUrl)).status).not.toBe(200);
    expect(await fx.client.clearBrinkFaults({ reenable: true })).toEqual(['web (enabled)']);
    expect((await timedGet(fx.proxiedUrl)).status).toBe(200);
  });

  it('names an unknown proxy and lists the valid ones', async () => {
    const e = await errorOf(fx.client.addToxic('nope', 'brink-x', { ...buildToxic('timeout', {}), stream: 'downstream', toxicity: 1 }));
    expect(e.exitCode).toBe(104);
    expect(e.message).toBe('unknown proxy "nope"; expected one of: web');
  });

  it("passes Toxiproxy's own refusal on in one line", async () => {
    const toxic = { ...buildToxic('latency', { latencyMs: 5 }), stream: 'downstream' as const, toxicity: 1 };
    await fx.client.addToxic('web', 'brink-dup', toxic);
    const e = await errorOf(fx.client.addToxic('web', 'brink-dup', toxic));
    await fx.client.removeToxic('web', 'brink-dup');
    expect(e.message).toBe('Toxiproxy refused adding toxic "brink-dup" to proxy "web": toxic already exists (HTTP 409)');
    expect(await fx.client.removeToxic('web', 'brink-dup')).toBe(false);
  });

  it('says Toxiproxy is unreachable with its URL', async () => {
    const port = await freeLoopbackPort();
    const e = await errorOf(new ToxiproxyClient(`http://127.0.0.1:${port}`).listProxies());
    expect(e.exitCode).toBe(104);
    expect(e.message).toBe(`Toxiproxy is not reachable at http://127.0.0.1:${port} (ECONNREFUSED)`);
  });
});
