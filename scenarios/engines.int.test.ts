/**
 * Both engines against a small real HTTP + Socket.IO server on loopback (testing/mini-platform.ts):
 * the same summary schema, self-provoked 429s kept apart from failures, zero chat loss, and
 * coordinated omission corrected in the Node engine's open model.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunSummary } from '../core/index.ts';
import { runScenario } from './index.ts';
import { findK6 } from './k6-binary.ts';
import { membershipOf, miniSetupData, startMiniPlatform, type StartedMiniPlatform } from './testing/mini-platform.ts';

// k6 is the user's own optional engine: brink never installs it. Its comparisons run only when a
// k6 binary is present (PATH or BRINK_K6), and the skip says why in the test output.
const K6 = findK6();
const K6_SKIP = 'skipped: no k6 binary (not on PATH, BRINK_K6 unset); brink does not ship k6, install it yourself to run this';
if (!K6) process.stderr.write(`[engines.int.test] k6 comparisons ${K6_SKIP}\n`);
const engines = (K6 ? ['k6', 'node'] : ['node']) as ReadonlyArray<'k6' | 'node'>;

/** The shape of a value: keys and types, recursively, without the numbers. */
function shape(v: unknown): unknown {
  // Arrays: the union of their elements' shapes (optional fields appear in some points only).
  if (Array.isArray(v)) return v.length === 0 ? [] : [shape(Object.assign({}, ...v.map((x) => (x && typeof x === 'object' ? x : { value: x }))))];
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, shape((v as Record<string, unknown>)[k])]));
  return typeof v;
}

describe('the Node engine (and k6 when the user has one) on a loopback server', () => {
  let mp: StartedMiniPlatform;
  let dir: string;
  let runs = 0;
  const data = () => miniSetupData(mp.url, 8, 2);
  beforeAll(async () => {
    mp = await startMiniPlatform({ conversations: membershipOf(miniSetupData('http://x', 8, 2)), rateLimitEvery: 7 });
    dir = mkdtempSync(join(tmpdir(), 'brink-engines-'));
  });
  afterAll(async () => mp?.close());

  // Latency SLOs belong to the real platform (platform.int.test.ts); here only correctness counts.
  const run = (scenario: string, engine: 'k6' | 'node', thresholds?: Record<string, string[]>) =>
    runScenario({ scenario, engine, profile: 'smoke', target: mp.url, data: data(), outDir: join(dir, `${scenario}-${engine}-${++runs}`), variant: 'mini-platform', ...(thresholds ? { thresholds } : {}) });

  const checkSearchSpike = (s: RunSummary) => {
    expect(s.status).toBe('passed');
    expect(s.counters.rate_limited).toBeGreaterThan(0);
    expect(s.metrics.http_req_failed).toMatchObject({ type: 'rate', values: { rate: 0 } });
    expect(s.notes[0]).toMatch(/^\d+ requests got 429 from the platform's own rate limits/);
    expect(s.endpoints.map((e) => e.name).sort()).toEqual(['search_posts', 'search_users']);
    expect(s.totals.requests).toBeGreaterThanOrEqual(45);
    expect(s.timeSeries.length).toBeGreaterThanOrEqual(9);
  };

  it('the Node engine runs search-spike and counts 429s apart from failures', async () => {
    checkSearchSpike(await run('search-spike', 'node'));
  });

  it.skipIf(!K6)(`k6 produces the same summary schema as the Node engine (${K6 ? 'k6 found' : K6_SKIP})`, async () => {
    const [k6, node] = [await run('search-spike', 'k6'), await run('search-spike', 'node')];
    checkSearchSpike(k6);
    // Only the Node engine knows intended arrivals (offeredRatePerSec); everything else must match.
    // statusCounts keys are data (which endpoint happened to draw a 429), not schema.
    const strip = (s: RunSummary) => ({ ...s, metrics: {}, counters: {}, notes: [], endpoints: s.endpoints.map((e) => ({ ...e, statusCounts: {} })), timeSeries: s.timeSeries.map(({ offeredRatePerSec: _, ...p }) => p) });
    expect(shape(strip(k6))).toEqual(shape(strip(node)));
    // The metrics both engines emit have the same types under the same names.
    for (const key of ['http_req_duration', 'http_req_duration{kind:search}', 'http_req_duration{name:search_posts}', 'http_req_failed', 'http_reqs', 'iterations', 'rate_limited']) {
      expect(shape(k6.metrics[key]), key).toEqual(shape(node.metrics[key]));
    }
    expect(k6.card.engineVersion).toMatch(/^k6 v\d/);
  });

  it(`chat-burst loses nothing on a healthy server (${engines.join(' and ')}${K6 ? '' : `; k6 ${K6_SKIP}`})`, async () => {
    for (const engine of engines) {
      const s = await run('chat-burst', engine, { chat_failed: ['rate<0.001'] });
      expect(s.status, engine).toBe('passed');
      expect(s.counters.chat_messages_sent, engine).toBeGreaterThan(0);
      expect(s.counters.chat_messages_acked, engine).toBe(s.counters.chat_messages_sent);
      expect(s.counters.chat_deliveries_expected, engine).toBe(s.counters.chat_messages_acked);
      expect(s.counters.chat_messages_delivered, engine).toBe(s.counters.chat_deliveries_expected);
      expect(s.metrics.chat_delivery_duration?.type, engine).toBe('trend');
      expect(s.phases.map((p) => p.name)).toEqual(['connect', 'burst', 'drain']);
    }
  });
});

describe('interrupting a run', () => {
  for (const engine of ['k6', 'node'] as const) {
    it.skipIf(engine === 'k6' && !K6)(`${engine}${engine === 'k6' && !K6 ? ` (${K6_SKIP})` : ''}: the abort signal stops the load, writes partial results and throws ABORTED`, async () => {
      const mp = await startMiniPlatform();
      const outDir = mkdtempSync(join(tmpdir(), 'brink-abort-'));
      try {
        const ac = new AbortController();
        setTimeout(() => ac.abort(), 4000);
        const t0 = Date.now();
        const err = await runScenario({ scenario: 'search-spike', engine, profile: 'soak', target: mp.url, data: miniSetupData(mp.url, 4), outDir, signal: ac.signal }).catch((e: unknown) => e);
        expect(err).toMatchObject({ code: 'ABORTED', exitCode: 105 });
        expect(Date.now() - t0).toBeLessThan(60_000); // a 30-minute soak, stopped
        const summary = JSON.parse(readFileSync(join(outDir, 'summary.json'), 'utf8')) as RunSummary;
        expect(summary.status).toBe('aborted');
        expect(summary.totals.requests).toBeGreaterThan(0);
      } finally {
        await mp.close();
      }
    });
  }
});

describe('coordinated omission', () => {
  it('an open-model run against a server that stalls shows the stall in P99', async () => {
    // A child process whose event loop freezes for 1 s, two seconds after it starts listening.
    const child = spawn(process.execPath, ['-e', `
      const http = require('node:http');
      const s = http.createServer((q, r) => r.end('{"items":[]}'));
      s.listen(0, '127.0.0.1', () => {
        console.log(s.address().port);
        setTimeout(() => { const t = Date.now(); while (Date.now() - t < 1000); }, 2000);
      });`], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const port = await new Promise<string>((resolve) => child.stdout.once('data', (b: Buffer) => resolve(b.toString().trim())));
      const url = `http://127.0.0.1:${port}`;
      const s = await runScenario({ scenario: 'search-spike', engine: 'node', profile: 'smoke', target: url, data: miniSetupData(url, 4), thresholds: { http_req_duration: ['max<100000'] }, outDir: mkdtempSync(join(tmpdir(), 'brink-co-')) });
      // 5 arrivals/s for 10 s; the 1 s stall delays ~5 of 50 arrivals by up to 1 s. Measured from the
      // intended send time, the worst is close to the full second; P90 stays fast.
      expect(s.totals.latencyMs.max).toBeGreaterThan(800);
      expect(s.totals.latencyMs.p50).toBeLessThan(100);
      expect(s.totals.requests).toBeGreaterThanOrEqual(49);
    } finally {
      child.kill();
    }
  });
});
