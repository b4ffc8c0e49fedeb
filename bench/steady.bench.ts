/**
 * Steady load on the optimized platform (issue 14): seeds medium data, then brink's Node engine
 * at a constant arrival rate steps through 200, 500, 1,000, 1,500 and 2,000 req/s (30 s each) with
 * the feed / user-posts mix (70% GET /api/feed?limit=20, 30% GET /api/users/:id/posts?limit=20)
 * over several fresh users, one of whom follows nobody (the hot key). Each step prints the achieved
 * rate, P50/P99, the error rate, the top CPU consumer and the most saturated resource (the
 * attribution sampler), with the load average. One step is cross-checked with vegeta (MIT, built
 * into .tools on first use). Layouts (one process, or split services with N gateway processes) are
 * measured side by side at one step on the same data.
 *
 * Environment (all optional):
 *   STEADY_STEPS=200,500,1000,1500,2000  STEADY_DURATION_S=30  STEADY_SCALE=medium
 *   STEADY_LAYOUTS=one-process,split+2gw  (default: this machine's optimized layout first; the first
 *                 runs every step, the others the compare step)
 *   STEADY_COMPARE_STEP=1000  STEADY_VEGETA_STEP=200 (0: no vegeta)  STEADY_USERS=4
 *   STEADY_REUSE=1: use the stack already up (BRINK_STATE_DIR / BRINK_STACK_STATE), already seeded
 *   STEADY_WARMUP_S=10: load after each platform (re)start, printed as warm-up and not counted
 *   STEADY_SERIES=0: do not print each step second by second
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seed } from '../reference-system/index.ts';
import { readStackState, startPlatformProcess, startStack, stopStack, writeStackState, type StackState } from '../stack/index.ts';
import { defaultLayout, layoutName, switchesFor } from '../core/index.ts';
import { feedMix, prepareMixUsers } from './lib/feed-mix.ts';
import { restartPlatform } from './lib/replatform.ts';
import { f0, f1, formatCpuPerRequest, formatSeries, layoutOf, loadavg, printStep, runStep, type StepResult } from './lib/steady-step.ts';
import { ensureVegeta, vegetaAttack } from './lib/vegeta.ts';

const env = (k: string, d: string) => process.env[k] ?? d;
const STEPS = env('STEADY_STEPS', '200,500,1000,1500,2000').split(',').map(Number);
const DURATION_S = Number(env('STEADY_DURATION_S', '30'));
const SCALE = env('STEADY_SCALE', 'medium') as 'small' | 'medium';
// The optimized variant's default layout on this machine first (core/layout.ts): it runs every
// step; the other is measured beside it at the compare step.
const DEFAULT_LAYOUT = layoutName(defaultLayout('optimized'));
const LAYOUTS = env('STEADY_LAYOUTS', [DEFAULT_LAYOUT, DEFAULT_LAYOUT === 'one-process' ? 'split+2gw' : 'one-process'].join(',')).split(',');
const COMPARE_STEP = Number(env('STEADY_COMPARE_STEP', '1000'));
const VEGETA_STEP = Number(env('STEADY_VEGETA_STEP', '200'));
const USERS = Number(env('STEADY_USERS', '4'));
const REUSE = process.env.STEADY_REUSE === '1';
/** Print each step second by second (5 s buckets): a backlog after a restart shows here. */
const SERIES = process.env.STEADY_SERIES !== '0';
/** Seconds of load at the first step's rate after each platform (re)start, not counted (0: none). */
const WARMUP_S = Number(env('STEADY_WARMUP_S', '10'));

async function main(): Promise<void> {
  let ownDir: string | undefined;
  let state: StackState;
  // Our own state file when we start the stack, so a stack someone else runs is never touched.
  let stateFile: string | undefined;
  if (REUSE) {
    state = readStackState();
  } else {
    ownDir = mkdtempSync(join(tmpdir(), 'brink-steady-'));
    stateFile = join(ownDir, 'stack.json');
    state = await startStack({ provider: 'local' });
    writeStackState(state, stateFile);
  }
  const stop = async () => {
    if (!ownDir) return;
    await stopStack(readStackState(stateFile)).catch(() => undefined);
    rmSync(ownDir, { recursive: true, force: true });
    ownDir = undefined;
  };
  process.once('SIGINT', () => void stop().then(() => process.exit(105)));
  try {
    if (!REUSE) {
      const t0 = Date.now();
      await seed(state.urls.postgres, { scale: SCALE, seed: 1 });
      console.log(`seeded ${SCALE} in ${f1((Date.now() - t0) / 1000)} s (load ${loadavg()})`);
      state.platform = await startPlatformProcess(state, { variant: 'optimized', switches: switchesFor('optimized'), ...layoutOf(LAYOUTS[0]!), ...(stateFile ? { stateFile } : {}) });
      state.processes.push({ name: 'platform', pid: state.platform.pid });
      writeStackState(state, stateFile);
    }
    const results: StepResult[] = [];
    // A platform we started is in the first layout already; a reused one may be anything, so it is restarted.
    let running = REUSE ? '?' : LAYOUTS[0];
    for (const [li, layout] of LAYOUTS.entries()) {
      const lo = layoutOf(layout);
      if (layout !== running) state = await restartPlatform({ variant: 'optimized', ...lo, ...(stateFile ? { stateFile } : {}) });
      running = layout;
      const gw = state.platform!.services.gateway!;
      const mix = await prepareMixUsers(gw, { heavy: USERS - 1, follows: 50, seededUsers: SCALE === 'medium' ? 50_000 : 1_000, tag: `${Date.now().toString(36)}${li}` });
      const users = [mix.empty, ...mix.heavy];
      if (WARMUP_S > 0) {
        // A just-started platform compiles its code, fills its pools and caches: not the steady state.
        const w = await runStep(state, { layout: `${layout} warm-up`, users, rate: Math.min(200, STEPS[0] ?? 200), durationS: WARMUP_S, dataset: SCALE });
        printStep(w);
      }
      const steps = li === 0 ? STEPS : STEPS.filter((s) => s === COMPARE_STEP);
      for (const rate of steps) {
        const s = await runStep(state, { layout, users, rate, durationS: DURATION_S, dataset: SCALE });
        results.push(s);
        printStep(s);
        console.log(`               ${formatCpuPerRequest(s)}`);
        if (SERIES) console.log(`               ${formatSeries(s)}`);
      }
      if (li === 0 && VEGETA_STEP > 0) {
        const bin = await ensureVegeta();
        const next = feedMix(users);
        const targets = Array.from({ length: users.length * 10 }, (_, i) => next(i)).map((t) => ({ method: 'GET', url: gw + t.path, headers: t.headers }));
        const work = mkdtempSync(join(tmpdir(), 'brink-vegeta-'));
        try {
          const v = await vegetaAttack(bin, { targets, ratePerS: VEGETA_STEP, durationS: DURATION_S, maxWorkers: 4000 }, work);
          const ok = Object.entries(v.statusCodes).filter(([c]) => c.startsWith('2')).reduce((a, [, n]) => a + n, 0);
          console.log(`vegeta         ${String(VEGETA_STEP).padStart(5)} req/s -> ${f0(ok / DURATION_S).padStart(5)} ok/s  p50 ${f1(v.latencyMs.p50).padStart(8)} ms  p99 ${f1(v.latencyMs.p99).padStart(8)} ms  errors ${((1 - v.successRatio) * 100).toFixed(2).padStart(6)}%  (load ${loadavg()})`);
        } finally {
          rmSync(work, { recursive: true, force: true });
        }
      }
    }
    const base = results.find((r) => r.layout === LAYOUTS[0] && r.rate === COMPARE_STEP);
    for (const r of results.filter((x) => x.layout !== LAYOUTS[0])) {
      if (base) console.log(`${r.layout} vs ${LAYOUTS[0]} at ${COMPARE_STEP} req/s: achieved x${(r.achieved / Math.max(1, base.achieved)).toFixed(2)}, p99 x${(r.p99 / Math.max(0.001, base.p99)).toFixed(2)}`);
    }
    console.log('the machine is shared: compare ratios within this run, with the load averages beside them');
  } finally {
    await stop();
  }
}

main().catch((e) => {
  process.stderr.write(`bench:steady failed: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
