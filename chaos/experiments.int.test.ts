/**
 * Experiments on the real stack (shared test stack, a fresh seeded platform database, services
 * reaching Postgres/Redis through the stack's Toxiproxy proxies), smoke profile. Each verdict must
 * match what the platform does. Latency bounds that depend on the machine (NF-5's "< 5 ms") are
 * reported in the verdicts but not asserted here; the behaviour (breaker opens or not, answers
 * or hangs, recovers) is.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { PROJECT_ROOT, type ExperimentResult } from '../core/index.ts';
import { ToxiproxyClient } from './client.ts';
import { runExperiment } from './run.ts';
import { openChaosPlatform, type ChaosPlatform } from './testing/platform-fixture.ts';

const base = inject('stack');
let t: ChaosPlatform;
const toxiproxy = new ToxiproxyClient(base.urls.toxiproxy);

beforeAll(async () => {
  t = await openChaosPlatform(base, 'exp', 'optimized');
});
afterAll(async () => {
  await t?.close();
});

const verdict = (r: ExperimentResult, title: string) => {
  const v = r.verdicts.find((x) => x.hypothesis.startsWith(title));
  if (!v) throw new Error(`no verdict "${title}" in ${JSON.stringify(r.verdicts.map((x) => x.hypothesis))}`);
  return v;
};

describe('chaos experiments on the real stack', () => {
  it('SIGINT during `brink chaos run` removes the faults and exits 105', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'brink-chaos-'));
    const stateFile = join(dir, 'stack.json');
    writeFileSync(stateFile, JSON.stringify(t.stack));
    const child = spawn(process.execPath, [join(PROJECT_ROOT, 'bin', 'brink.js'), 'chaos', 'run', 'redis-down', '--out', dir], {
      env: { ...process.env, BRINK_STACK_STATE: stateFile, CI: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    const faultStarted = new Promise<void>((resolve) => {
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        if (stderr.includes('fault-start: redis: proxy disabled')) resolve();
      });
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await Promise.race([faultStarted, exited]);
    expect((await toxiproxy.getProxy('redis')).enabled).toBe(false);
    child.kill('SIGINT');
    expect(await exited).toBe(105);
    expect(stderr).toContain('SIGINT received, cleaning up');
    expect((await toxiproxy.getProxy('redis')).enabled).toBe(true);
    expect(await toxiproxy.brinkToxics()).toEqual([]);
  }, 240_000);

  it('db-latency: with breakers off the users breaker never opens and calls wait; on, it opens, fails fast and closes', async () => {
    await t.setSwitches({ breakers: false });
    const off = await runExperiment({ experiment: 'db-latency', stack: t.stack });
    expect(off.ok).toBe(false);
    expect(verdict(off, 'the users breaker opens').ok).toBe(false);
    expect(verdict(off, 'while open, calls fail').measured.circuitOpen).toBe(0);
    expect(await toxiproxy.brinkToxics()).toEqual([]);

    await t.setSwitches({ breakers: true });
    const on = await runExperiment({ experiment: 'db-latency', stack: t.stack });
    expect(verdict(on, 'the users breaker opens').ok).toBe(true);
    const fastFail = verdict(on, 'while open, calls fail');
    expect(Number(fastFail.measured.circuitOpen)).toBeGreaterThanOrEqual(10);
    expect(verdict(on, 'after the toxic is removed').ok).toBe(true);
    expect(on.timeline.map((e) => e.kind)).toEqual(expect.arrayContaining(['fault-start', 'fault-stop', 'breaker']));
    expect(on.timeline.filter((e) => e.kind === 'breaker').map((e) => e.label)).toContain('users breaker closed -> open');
    expect(await toxiproxy.brinkToxics()).toEqual([]);
  }, 300_000);

  it('db-down: every call is answered with a 503 that says why, and the platform recovers', async () => {
    const r = await runExperiment({ experiment: 'db-down', stack: t.stack });
    expect(r.verdicts.map((v) => [v.hypothesis, v.ok])).toEqual(r.verdicts.map((v) => [v.hypothesis, true]));
    expect(r.ok).toBe(true);
    expect(r.timeToRecoverMs).toBeDefined();
    expect((await toxiproxy.getProxy('pgbouncer')).enabled).toBe(true);
  }, 240_000);

  it('redis-down: the feed keeps answering without Redis (cache fallback)', async () => {
    const r = await runExperiment({ experiment: 'redis-down', stack: t.stack });
    expect(verdict(r, 'without Redis the feed still answers').ok).toBe(true);
    expect((await toxiproxy.getProxy('redis')).enabled).toBe(true);
  }, 240_000);

  it('pool-exhaustion: with the PgBouncer pool held, calls time out cleanly and the pool recovers', async () => {
    const r = await runExperiment({ experiment: 'pool-exhaustion', stack: t.stack });
    expect(verdict(r, 'with the pool held').ok).toBe(true);
    expect(verdict(r, 'the pool recovers').ok).toBe(true);
    expect(Number(verdict(r, 'with the pool held').measured.maxMs)).toBeGreaterThan(1000);
  }, 240_000);
});
