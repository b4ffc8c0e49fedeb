/**
 * SIGINT at a random moment of each of the eight experiments, run as a user runs them (`brink
 * chaos run <experiment> --scenario feed`, a child process on the shared test stack's platform):
 * whenever the signal lands (preparing, steady state, fault in force, recovery) the CLI exits 105
 * and leaves no toxic, no disabled proxy, no proxy of its own, no child process and no directory.
 * The moments are drawn from a seed printed with each case, so a failure can be replayed
 * (BRINK_SIGINT_SEED=…).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it, onTestFinished } from 'vitest';
import { PROJECT_ROOT } from '../core/index.ts';
import { ToxiproxyClient } from '../stack/index.ts';
import { EXPERIMENTS } from './experiments/index.ts';
import { openChaosPlatform, type ChaosPlatform } from './testing/platform-fixture.ts';

const base = inject('stack');
const toxiproxy = new ToxiproxyClient(base.urls.toxiproxy);
let t: ChaosPlatform;
let proxiesBefore: string[] = [];
beforeAll(async () => {
  t = await openChaosPlatform(base, 'sigint', 'optimized', { realtime: true });
  proxiesBefore = (await toxiproxy.listProxies()).map((p) => p.name).sort();
});
afterAll(async () => {
  await t?.close();
});

/** A small seeded PRNG (mulberry32): the same seed draws the same moments. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}
const seed = Number(process.env.BRINK_SIGINT_SEED ?? Date.now() % 1_000_000);
const random = rng(seed);

/** Direct children of a process (from /proc): what the CLI started, to check they are gone. */
function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(d));
    } catch {
      // the process ended while we looked
    }
  }
  return out;
}
const alive = (pid: number) => existsSync(`/proc/${pid}`) && !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');

/**
 * Waits until no gateway breaker is open. An experiment interrupted with its fault in force can
 * leave one open for its reset timeout (30 s for users): the next experiment's steady state would
 * then fail, correctly, before the signal is sent, and this test would not be testing an interrupt.
 */
async function noBreakerOpen(gateway: string, timeoutMs = 45_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let open: string[] = [];
  while (Date.now() < deadline) {
    const body = await fetch(`${gateway}/health/circuit-breakers`).then((r) => r.json() as Promise<{ breakers: { service: string; state: string }[] }>).catch(() => undefined);
    open = body ? body.breakers.filter((b) => b.state === 'open').map((b) => b.service) : ['(no answer)'];
    if (open.length === 0) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`gateway breakers still open after ${timeoutMs} ms: ${open.join(', ')}`);
}

describe(`SIGINT at a random moment (seed ${seed})`, () => {
  for (const experiment of EXPERIMENTS.ids()) {
    it(`${experiment}: exit 105, no toxic, no disabled proxy, no process and no directory left`, async () => {
      // From the CLI's first line (the experiment prepared, probes about to start) up to 12 s on:
      // steady state (5 s in smoke), the first faults, for the short ones the recovery.
      const delayMs = Math.round(random() * 12_000);
      await noBreakerOpen(t.platform.services.gateway!);
      const dir = mkdtempSync(join(tmpdir(), 'brink-sigint-'));
      const stateFile = join(dir, 'stack.json');
      writeFileSync(stateFile, JSON.stringify(t.stack));
      onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
      const out = join(dir, 'out');
      const child = spawn(process.execPath, [join(PROJECT_ROOT, 'bin', 'brink.js'), 'chaos', 'run', experiment, '--scenario', 'feed', '--scenario-profile', 'smoke', '--out', out], {
        env: { ...process.env, BRINK_STACK_STATE: stateFile, BRINK_STATE_DIR: join(dir, 'state'), CI: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      const started = new Promise<void>((resolve) => {
        child.stderr.on('data', (d: Buffer) => {
          stderr += d.toString();
          if (stderr.includes(`brink chaos run ${experiment}:`)) resolve();
        });
      });
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      await Promise.race([started, exited]);
      await Promise.race([new Promise((r) => setTimeout(r, delayMs)), exited]);
      const children = childrenOf(child.pid!);
      const faultsAtSignal = (stderr.match(/fault-start/g) ?? []).length;
      child.kill('SIGINT');
      const code = await exited;
      process.stderr.write(`[sigint] ${experiment}: SIGINT ${delayMs} ms after start, ${faultsAtSignal} fault(s) had started, exit ${code}\n`);
      expect(code, stderr).toBe(105);
      // The scenario was running (it reports its totals even when interrupted) and did not fail.
      const load = stderr.match(/scenario feed \(smoke\): .*/)?.[0];
      process.stderr.write(`[sigint]   ${load ?? 'no load line'}\n`);
      expect(load).toMatch(/^scenario feed \(smoke\): [1-9]\d* run\(s\), \d+ requests, \d+ errors$/);
      expect(stderr).toContain('SIGINT received, cleaning up');
      expect(stderr).not.toMatch(/\n\s+at /);
      // No toxic, every proxy enabled, and no proxy the experiment created (brink-gateway).
      expect(await toxiproxy.brinkToxics()).toEqual([]);
      const proxies = await toxiproxy.listProxies();
      expect(proxies.filter((p) => !p.enabled).map((p) => p.name)).toEqual([]);
      expect(proxies.map((p) => p.name).sort()).toEqual(proxiesBefore);
      // No process: the CLI and whatever it started are gone.
      expect(alive(child.pid!)).toBe(false);
      expect(children.filter(alive)).toEqual([]);
      // No directory: neither the results directory nor a run of the scenario.
      expect(existsSync(out)).toBe(false);
      expect(existsSync(join(dir, 'state', 'runs')) ? readdirSync(join(dir, 'state', 'runs')) : []).toEqual([]);
    }, 120_000);
  }
});
