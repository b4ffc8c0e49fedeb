/**
 * `brink chaos inject | clear | proxies` as a user runs them, against a real toxiproxy-server
 * (a private instance with one proxy, "web", in front of a small HTTP server).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../core/index.ts';
import { startToxiproxyFixture, timedGet, type ToxiproxyFixture } from './testing/toxiproxy-fixture.ts';

let fx: ToxiproxyFixture;
beforeAll(async () => {
  fx = await startToxiproxyFixture();
});
afterAll(async () => {
  await fx?.stop();
});

function brink(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(PROJECT_ROOT, 'bin', 'brink.js'), 'chaos', ...args, '--toxiproxy', fx.url], { encoding: 'utf8', timeout: 150_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('brink chaos inject and clear', () => {
  it('injects a latency toxic that delays responses, and clear removes it', async () => {
    const inject = brink('inject', 'web', 'latency', 'latencyMs=250', 'jitterMs=0');
    expect(inject.stderr).toBe('');
    expect(inject.status).toBe(0);
    expect(inject.stdout).toBe('web: added brink-latency-downstream: latency latencyMs=250 jitterMs=0 (downstream, 100%)\n');
    expect((await timedGet(fx.proxiedUrl)).ms).toBeGreaterThanOrEqual(250);
    expect(brink('proxies').stdout).toContain('  brink-latency-downstream: latency latencyMs=250 jitterMs=0 (downstream, 100%)');

    const clear = brink('clear');
    expect(clear.status).toBe(0);
    expect(clear.stdout).toBe('cleared web/brink-latency-downstream\n');
    expect(await fx.client.brinkToxics()).toEqual([]);
  });

  it('takes the slicer delay in microseconds and sends it to Toxiproxy unchanged', async () => {
    const r = brink('inject', 'web', 'slicer', 'averageSizeBytes=100', 'sizeVariationBytes=10', 'delayUs=1500', '--stream', 'upstream', '--toxicity', '0.5');
    expect(r.status).toBe(0);
    const wire = (await fx.client.getProxy('web')).toxics.find((t) => t.name === 'brink-slicer-upstream')!.wire;
    expect(wire).toMatchObject({ type: 'slicer', stream: 'upstream', toxicity: 0.5, attributes: { average_size: 100, size_variation: 10, delay: 1500 } });
    expect(brink('clear', 'web').status).toBe(0);
  });

  it('takes a proxy down and clear brings it back', async () => {
    expect(brink('inject', 'web', 'down').stdout).toBe('web: proxy disabled (brink chaos clear web enables it again)\n');
    expect((await timedGet(fx.proxiedUrl)).status).not.toBe(200);
    expect(brink('clear', 'web').stdout).toBe('cleared web (enabled)\n');
    expect((await timedGet(fx.proxiedUrl)).status).toBe(200);
  });

  it('refuses an unknown proxy, toxic or attribute with one line and exit 104', () => {
    const proxy = brink('inject', 'nope', 'latency', 'latencyMs=1');
    expect(proxy.status).toBe(104);
    expect(proxy.stderr).toBe('brink: unknown proxy "nope"; expected one of: web\n');
    const toxic = brink('inject', 'web', 'lag');
    expect(toxic.status).toBe(104);
    expect(toxic.stderr).toBe('brink: unknown toxic "lag"; expected one of: latency, bandwidth, slow_close, timeout, reset_peer, slicer, limit_data, down\n');
    const attr = brink('inject', 'web', 'slicer', 'delay=5');
    expect(attr.status).toBe(104);
    expect(attr.stderr).toBe(
      `brink: unknown slicer attribute "delay"; expected one of: averageSizeBytes, sizeVariationBytes, delayUs (Toxiproxy's "delay" is delayUs, in MICROSECONDS)\n`,
    );
  });

  it('says Toxiproxy is unreachable in one line with its URL, exit 104', () => {
    const r = spawnSync(process.execPath, [join(PROJECT_ROOT, 'bin', 'brink.js'), 'chaos', 'clear', '--toxiproxy', 'http://127.0.0.1:9'], { encoding: 'utf8' });
    expect(r.status).toBe(104);
    expect(r.stderr).toMatch(/^brink: Toxiproxy is not reachable at http:\/\/127\.0\.0\.1:9 \(.+\) \(start the stack with `brink stack up` or pass --toxiproxy URL\)\n$/);
  });
});
