/**
 * `brink run --instances 2` on the real platform (seeded small dataset, optimized variant): two
 * engine processes on segments 1/2 and 2/2 send what one instance sends (same request count within
 * 1%), and the merged P99 is the P99 of every sample both processes recorded (raw/samples.csv),
 * with the thresholds evaluated once on the merged data.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHistogram, PROJECT_ROOT, recordMs, type RunSummary } from '../../core/index.ts';
import { startPlatform, type StartedPlatform } from '../../reference-system/platform.ts';
import { seed } from '../../reference-system/seed/index.ts';
import { createDatabase, type CreatedDatabase, type StackState } from '../../stack/index.ts';

// Asynchronous: the platform runs in this process and must keep answering while the CLI runs.
function startCli(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, ['bin/brink.js', ...args], { cwd: PROJECT_ROOT, env: { ...process.env, CI: 'true', ...env } });
  const done = new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 150_000);
    child.once('error', reject);
    child.once('exit', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
  return { child, done };
}
const runCli = (args: string[], env: Record<string, string>) => startCli(args, env).done;

async function waitFor(what: string, ok: () => boolean, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > until) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const samplesOf = (file: string): number[] =>
  readFileSync(file, 'utf8').trim().split('\n').slice(1).filter((l) => l.startsWith('http_req_duration,')).map((l) => Number(l.split(',')[1]));

describe('brink run --instances 2 on the reference platform', () => {
  let db: CreatedDatabase;
  let platform: StartedPlatform;
  let dir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    const stack = inject('stack');
    db = await createDatabase(stack, 'segments_int');
    await seed(db.url, { scale: 'small', seed: 7 });
    platform = await startPlatform({ infra: stack, variant: 'optimized', database: db.name });
    const state: StackState = {
      ...stack,
      database: db.name,
      urls: { ...stack.urls, postgres: db.url },
      platform: { variant: 'optimized', switches: { ...platform.switches.current }, pid: process.pid, services: platform.services, jwtSecret: platform.jwtSecret, dataset: 'small' },
    };
    dir = mkdtempSync(join(tmpdir(), 'brink-instances-'));
    writeFileSync(join(dir, 'stack.json'), JSON.stringify(state));
    // Latency thresholds that hold on a loaded machine: the point is that they are evaluated on the merged data.
    writeFileSync(join(dir, 'thresholds.json'), JSON.stringify({ 'http_req_duration{kind:search}': ['p(99)<60000'], http_req_failed: ['rate<0.5'] }));
    env = { BRINK_STACK_STATE: join(dir, 'stack.json') };
  });
  afterAll(async () => {
    await platform?.stop();
    await db?.drop();
  });

  it('sends the same requests as one instance, and the merged P99 is the P99 of all samples', async () => {
    const common = ['--profile', 'smoke', '--thresholds', join(dir, 'thresholds.json'), '--raw-samples'];
    const one = await runCli(['run', 'search-spike', ...common, '--out', join(dir, 'one')], env);
    expect(one.status, one.stderr).toBe(0);
    // Not in CI mode, and not a terminal: plain progress lines (no carriage returns) for the whole run.
    const two = await runCli(['run', 'search-spike', ...common, '--instances', '2', '--out', join(dir, 'two')], { ...env, CI: '' });
    expect(two.status, two.stderr).toBe(0);
    expect(two.stderr).toMatch(/^  \d+s\/\d+s \(\d+%\)  \d+ req  \d+ req\/s  errors \d+  .*p99 so far <= [\d.]+ ms  [12]\/2 instances$/m);
    expect(two.stderr).not.toContain('\r');
    expect(two.stdout).toMatch(/^search-spike smoke \(node\): PASSED - \d+ requests/m);

    const single = JSON.parse(readFileSync(join(dir, 'one', 'summary.json'), 'utf8')) as RunSummary;
    const merged = JSON.parse(readFileSync(join(dir, 'two', 'summary.json'), 'utf8')) as RunSummary;
    // smoke: 5 arrivals a second for 10 s, every one a search.
    expect(single.totals.requests).toBe(50);
    expect(Math.abs(merged.totals.requests - single.totals.requests)).toBeLessThanOrEqual(0.01 * single.totals.requests);
    expect(merged.card).toMatchObject({ scenario: 'search-spike', merged: { parts: 2, from: 'brink-segments' } });

    const parts = [1, 2].map((i) => JSON.parse(readFileSync(join(dir, 'two', 'segments', String(i), 'summary.json'), 'utf8')) as RunSummary);
    expect(parts.map((p) => p.card.segment)).toEqual([{ index: 1, count: 2 }, { index: 2, count: 2 }]);
    expect(parts.map((p) => p.totals.requests)).toEqual([25, 25]);

    const all = [1, 2].flatMap((i) => samplesOf(join(dir, 'two', 'segments', String(i), 'raw', 'samples.csv')));
    expect(all).toHaveLength(merged.totals.requests);
    const h = createHistogram();
    all.forEach((v) => recordMs(h, v));
    // Equal to one HDR histogram of every sample, and to the exact (sorted) P99 within HDR's 0.1%.
    expect(merged.totals.latencyMs.p99).toBe(h.getValueAtPercentile(99) / 1000);
    const sorted = [...all].sort((a, b) => a - b);
    const exact = sorted[Math.ceil(0.99 * sorted.length) - 1]!;
    expect(Math.abs(merged.totals.latencyMs.p99 - exact) / exact).toBeLessThanOrEqual(0.0011);

    expect(merged.thresholds.map((t) => [t.metric, t.expression, t.ok])).toEqual([
      ['http_req_duration{kind:search}', 'p(99)<60000', true],
      ['http_req_failed', 'rate<0.5', true],
    ]);
    expect(merged.thresholds[0]!.actual).toBe(merged.metrics['http_req_duration{kind:search}']?.type === 'trend' ? (merged.metrics['http_req_duration{kind:search}'] as { values: { p99: number } }).values.p99 : NaN);
    expect(existsSync(join(dir, 'two', 'histograms.json'))).toBe(true);
  });

  it('an interrupt stops every engine process, which keep their partial results; exit 105', async () => {
    const out = join(dir, 'interrupted');
    const { child, done } = startCli(['run', 'feed', '--profile', 'load', '--instances', '2', '--out', out], env);
    const seg = (i: number, f: string) => join(out, 'segments', String(i), f);
    // Both engine processes have prepared their run directories: the load is starting.
    await waitFor('both segments starting', () => [1, 2].every((i) => existsSync(seg(i, 'setup-data.json'))), 90_000);
    child.kill('SIGINT');
    const r = await done;
    expect(r.status, r.stderr).toBe(105);
    expect(r.stderr).toMatch(/run of feed on 2 instances interrupted; partial segment results in /);
    for (const i of [1, 2]) expect((JSON.parse(readFileSync(seg(i, 'summary.json'), 'utf8')) as RunSummary).status).toBe('aborted');
  });
});
