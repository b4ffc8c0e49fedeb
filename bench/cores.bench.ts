/**
 * What one more core buys (issue 14): the issue-14 feed mix on the optimized platform with the
 * stack's processes (platform, Postgres, PgBouncer, Redis, Toxiproxy, RabbitMQ) held to a CPU
 * quota (cgroup v1), the load generator outside it. At each limit the rate steps up until the SLI
 * (P99 < 500 ms, errors < 0.1%) fails; the last passing rate is the limit's sustainable rate, and
 * the attribution gives CPU-ms per request per component. The model printed at the end:
 *   - measured: sustainable rate per limit, and the rate one more core added between two limits;
 *   - from CPU cost: cores the stack needs for 1,000 and 2,000 req/s (rate x CPU-s per request,
 *     at 70% utilisation), and the ceiling of a single Node process (one JavaScript thread).
 *
 *   npm run bench:cores   (starts its own stack and seeds medium data, or CORES_REUSE=1 with
 *                          BRINK_STATE_DIR of a stack already up and seeded)
 * Environment: CORES_LIMITS=1,2 (cores; fractions allowed, e.g. 0.5,1,1.5)  CORES_RATES=200,400,600,800,1000,1200,1500
 *   CORES_STEP_S=15  CORES_LAYOUT=one-process (or split+2gw…)  CORES_USERS=4  CORES_SCALE=medium
 * Linux with cgroup v1 and root only; loopback only; every step is bounded in time.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seed } from '../reference-system/index.ts';
import { readStackState, startStack, stopStack, writeStackState, type StackState } from '../stack/index.ts';
import { CpuLimit, cgroupCpuAvailable } from './lib/cpu-limit.ts';
import { prepareMixUsers } from './lib/feed-mix.ts';
import { restartPlatform } from './lib/replatform.ts';
import { cpuMsPerRequest, f0, f1, formatCpuPerRequest, layoutOf, loadavg, printStep, runStep, type StepResult } from './lib/steady-step.ts';

const env = (k: string, d: string) => process.env[k] ?? d;
const LIMITS = env('CORES_LIMITS', '1,2').split(',').map(Number);
const RATES = env('CORES_RATES', '200,400,600,800,1000,1200,1500').split(',').map(Number);
const STEP_S = Number(env('CORES_STEP_S', '15'));
const LAYOUT = env('CORES_LAYOUT', 'one-process');
const USERS = Number(env('CORES_USERS', '4'));
const SCALE = env('CORES_SCALE', 'medium') as 'small' | 'medium';
const REUSE = process.env.CORES_REUSE === '1';
const SLI_P99_MS = 500;
const SLI_ERRORS = 0.001;
const UTILISATION = 0.7;

for (const [name, xs] of [['CORES_LIMITS', LIMITS], ['CORES_RATES', RATES]] as const) {
  if (xs.some((x) => !Number.isFinite(x) || x <= 0)) {
    process.stderr.write(`${name} "${process.env[name]}" is not a list of positive numbers\n`);
    process.exit(104);
  }
}

interface LimitResult {
  cores: number;
  sustained: number;
  steps: StepResult[];
  /** The last passing step (its CPU per request), or the first step when none passed. */
  at: StepResult;
  throttledMs: number;
}

/** Seconds the attribution sampled (the step and its drain). */
const spanS = (s: StepResult) => Math.max(1, ...s.attribution.components.map((c) => c.samples.length)) * (s.attribution.intervalMs / 1000);
/** CPU-ms per request of the platform's Node processes (the platform, its gateways and services). */
const nodeMs = (s: StepResult) => cpuMsPerRequest(s).filter((c) => !/^(postgres|pgbouncer|redis|toxiproxy|rabbitmq)$/.test(c.component)).reduce((a, c) => a + c.ms, 0);

/** y = a + b x, least squares (b = 0 with fewer than two distinct x). */
function linearFit(xs: number[], ys: number[]): { a: number; b: number } {
  const n = xs.length;
  const mx = xs.reduce((a, x) => a + x, 0) / Math.max(1, n);
  const my = ys.reduce((a, y) => a + y, 0) / Math.max(1, n);
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (xs[i]! - mx) ** 2;
    sxy += (xs[i]! - mx) * (ys[i]! - my);
  }
  const b = sxx === 0 ? 0 : sxy / sxx;
  return { a: my - b * mx, b };
}

// Served within the window too: a step that only "keeps up" by draining a queue afterwards does not pass.
const passes = (s: StepResult) => s.p99 < SLI_P99_MS && s.errorRate < SLI_ERRORS && s.inWindow >= 0.95 * s.rate;
const stackCpuMs = (s: StepResult) => cpuMsPerRequest(s).reduce((a, c) => a + c.ms, 0);

async function main(): Promise<void> {
  if (!cgroupCpuAvailable()) {
    process.stderr.write('bench:cores needs the cgroup v1 CPU controller (/sys/fs/cgroup/cpu) and root\n');
    process.exit(104);
  }
  let ownDir: string | undefined;
  let stateFile: string | undefined;
  let state: StackState;
  let limit: CpuLimit | undefined;
  const cleanup = async () => {
    limit?.release();
    limit = undefined;
    if (!ownDir) return;
    await stopStack(readStackState(stateFile)).catch(() => undefined);
    rmSync(ownDir, { recursive: true, force: true });
    ownDir = undefined;
  };
  process.once('SIGINT', () => void cleanup().then(() => process.exit(105)));
  if (REUSE) state = readStackState();
  else {
    ownDir = mkdtempSync(join(tmpdir(), 'brink-cores-'));
    stateFile = join(ownDir, 'stack.json');
    state = await startStack({ provider: 'local' });
    writeStackState(state, stateFile);
  }
  try {
    if (!REUSE) {
      const t0 = Date.now();
      await seed(state.urls.postgres, { scale: SCALE, seed: 1 });
      console.log(`seeded ${SCALE} in ${f1((Date.now() - t0) / 1000)} s (load ${loadavg()})`);
    }
    // A fresh platform in the layout measured, started after the seed (it reads the state file).
    state = await restartPlatform({ variant: 'optimized', ...layoutOf(LAYOUT), ...(stateFile ? { stateFile } : {}) });
    const gw = state.platform!.services.gateway!;
    const mix = await prepareMixUsers(gw, { heavy: USERS - 1, follows: 50, seededUsers: SCALE === 'medium' ? 50_000 : 1_000, tag: `c${Date.now().toString(36)}` });
    const users = [mix.empty, ...mix.heavy];
    limit = CpuLimit.create(`brink-cores-${process.pid}`, state.processes.map((p) => p.pid));
    console.log(`stack processes in ${limit.dir}; the load generator (pid ${process.pid}) outside; SLI p99 < ${SLI_P99_MS} ms, errors < ${SLI_ERRORS * 100}%; ${STEP_S} s per step (load ${loadavg()})`);
    const results: LimitResult[] = [];
    for (const cores of LIMITS) {
      limit.set(cores);
      limit.adopt(state.processes.map((p) => p.pid));
      const t0 = limit.throttling().throttledMs;
      // Warm-up under the new limit (JIT, pools, caches), not counted.
      await runStep(state, { layout: `${cores} cores`, users, rate: 100, durationS: 5, dataset: SCALE });
      let best: StepResult | undefined;
      let first: StepResult | undefined;
      const steps: StepResult[] = [];
      for (const rate of RATES) {
        const s = await runStep(state, { layout: `${cores} cores`, users, rate, durationS: STEP_S, dataset: SCALE });
        first ??= s;
        steps.push(s);
        printStep(s);
        console.log(`               ${formatCpuPerRequest(s)}`);
        if (!passes(s)) break;
        best = s;
      }
      const at = best ?? first!;
      results.push({ cores, sustained: best ? best.achieved : 0, steps, at, throttledMs: limit.throttling().throttledMs - t0 });
    }
    console.log(`\nper-core model (load ${loadavg()}; the machine was shared with other work: figures are upper-bounded by what the stack got):`);
    for (const r of results) {
      const per = cpuMsPerRequest(r.at);
      const platform = per.filter((c) => c.component.startsWith('platform') || c.component.startsWith('gateway') || /^(auth|users|posts|comments|search|chat)/.test(c.component));
      const platformMs = platform.reduce((a, c) => a + c.ms, 0);
      console.log(
        `  ${String(r.cores).padStart(4)} cores: sustained ${f0(r.sustained)} req/s (SLI met up to the ${r.sustained > 0 ? f0(r.at.rate) : 'no'} req/s step); stack CPU ${stackCpuMs(r.at).toFixed(2)} ms/request (Node processes ${platformMs.toFixed(2)}); throttled ${f1(r.throttledMs / 1000)} s`,
      );
      // A quota the stack never reached did not limit it: something else (other work on the machine) did.
      const failedStep = r.steps.some((st) => !passes(st));
      if (failedStep && r.throttledMs < 100) console.log(`        the ${r.cores}-core quota was never reached: the stack was held back by something else (one saturated event loop, or CPU taken by other processes), so ${f0(r.sustained)} req/s is not what ${r.cores} cores can do`);
    }
    const sorted = [...results].sort((a, b) => a.cores - b.cores);
    for (let i = 1; i < sorted.length; i++) {
      const a = sorted[i - 1]!;
      const b = sorted[i]!;
      console.log(`  from ${a.cores} to ${b.cores} cores: +${f0(b.sustained - a.sustained)} req/s (${f0((b.sustained - a.sustained) / (b.cores - a.cores))} req/s per added core)`);
    }
    // Stack CPU (cores) against the rate served, over every step at every limit: a fixed part (probes,
    // timers, Postgres and RabbitMQ housekeeping) plus a cost per request.
    const all = results.flatMap((r) => r.steps);
    const pts = all.map((st) => ({ cores: cpuMsPerRequest(st).reduce((a, c) => a + c.ms, 0) * st.okRequests, node: nodeMs(st) * st.okRequests, s: st }));
    const fit = (ys: { rate: number; cores: number }[]) => linearFit(ys.map((p) => p.rate), ys.map((p) => p.cores));
    const toCores = (p: (typeof pts)[number], ms: number) => ({ rate: p.s.okRequests / spanS(p.s), cores: ms / 1000 / spanS(p.s) });
    const distinctRates = new Set(all.map((st) => st.rate)).size;
    // With one rate there is no slope to fit: all of the CPU counts as per-request cost (an over-estimate).
    const fitOrPerRequest = (ys: { rate: number; cores: number }[]) => (distinctRates >= 2 ? fit(ys) : { a: 0, b: ys.reduce((x, p) => x + p.cores / Math.max(1, p.rate), 0) / Math.max(1, ys.length) });
    const stack = fitOrPerRequest(pts.map((p) => toCores(p, p.cores)));
    const node = fitOrPerRequest(pts.map((p) => toCores(p, p.node)));
    if (distinctRates < 2) console.log('  one rate only: no fixed/per-request split, every CPU-ms counted per request (give CORES_RATES several rates)');
    console.log(`  stack CPU = ${stack.a.toFixed(2)} cores + ${(stack.b * 1000).toFixed(2)} ms x rate (least squares over ${pts.length} steps); Node processes ${node.a.toFixed(2)} cores + ${(node.b * 1000).toFixed(2)} ms x rate`);
    for (const target of [1000, 2000]) {
      const c = stack.a + stack.b * target;
      console.log(`  ${target} req/s needs ~${c.toFixed(2)} cores of stack CPU, ${(c / UTILISATION).toFixed(2)} cores at ${UTILISATION * 100}% utilisation, plus the load generator`);
    }
    // The generator shares the machine in every issue-14 figure: what it costs per request too.
    const genMs = all.map((st) => {
      const g = st.attribution.components.find((c) => c.component === 'load-generator');
      return g ? (g.samples.reduce((a, x) => a + x.cpuCores, 0) * st.attribution.intervalMs) / Math.max(1, st.okRequests) : 0;
    });
    const gen = genMs.reduce((a, x) => a + x, 0) / Math.max(1, genMs.length);
    if (gen > 0) console.log(`  the load generator (brink's Node engine) used ~${gen.toFixed(2)} CPU-ms per request: ~${((gen * 1000) / 1000).toFixed(2)} cores at 1,000 req/s, ~${((gen * 2000) / 1000).toFixed(2)} at 2,000, on the same 2 cores in bench:steady`);
    if (node.b > 0 && LAYOUT.startsWith('one-process')) console.log(`  one-process layout: one JavaScript thread for every service and the gateway saturates near ${f0((1 - node.a) / node.b)} req/s however many cores (split services and gateway processes go past it)`);
  } finally {
    await cleanup();
  }
}

main().catch((e) => {
  process.stderr.write(`bench:cores failed: ${(e as Error).message}\n`);
  process.exit(1);
});
