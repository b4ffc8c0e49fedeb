/**
 * Compare bench (prints figures; asserts nothing): how often does `brink report --compare` cry
 * wolf, and how often does it catch a real slowdown, on this noisy machine?
 *
 * It starts its own local stack, seeds a small database and runs the optimized platform in a
 * process of its own with Toxiproxy on every gateway->service hop. Then, per trial, N repetitions
 * of three sides, interleaved run by run (A, A', B, A, A', B, ...) so that drift of the machine's
 * load hits every side alike:
 *   A  the platform as is (base),
 *   A' the platform as is again (head of the A/A comparison),
 *   B  the platform with a latency toxic on one hop (head of the A/B comparison): by default a
 *      proxy of the bench's own in front of the gateway, which every request crosses (all sides
 *      load through it; BENCH_HOP=svc-posts, redis… picks an existing hop), its size calibrated
 *      first on the gated statistic for a P99 20% higher, and the slowdown it achieves verified.
 * Each trial gives one A/A and one A/B comparison, judged by
 *   - the rank gate (default of `brink report --compare`: Mann-Whitney U over N runs per side),
 *   - the same test with one sample per window instead of per run,
 *   - today's fixed tolerance (one run each: the first repetition of each side, 10% and 1 ms).
 * Goals (issue 16): false alarms <= 1 of 10 A/A, detections >= 8 of 10 A/B.
 *
 *   npm run bench:compare                      # 10 trials, N = 5, runs of 12 s (feed soak plan, 30 it/s): ~33 min
 *   BENCH_TRIALS=3 BENCH_REPEATS=5 npm run bench:compare
 *   BENCH_TOXIC_MS=3 npm run bench:compare      # a fixed toxic instead of the sizing step (still verified)
 *   BENCH_AA=0 BENCH_TOXIC_MS=1 npm run bench:compare  # A/B only (a second toxic size after a full run)
 *   BENCH_TOXIC_MS=2 BENCH_TOXIC_JITTER_MS=1 npm run bench:compare  # 1 or 2 ms, 1.5 ms on average
 */
import { mkdirSync, readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ToxiproxyClient } from '../chaos/index.ts';
import { compareDirs, DEFAULT_SIDES, readSide } from '../reports/index.ts';
import { seed } from '../reference-system/index.ts';
import { switchesFor } from '../core/index.ts';
import { runScenario, type RunScenarioOptions, type SetupData } from '../scenarios/index.ts';
import { createDatabase, startPlatformProcess, startStack, stopPlatformProcess, stopStack, type StackState } from '../stack/index.ts';

const TRIALS = Number(process.env.BENCH_TRIALS ?? 10);
const N = Number(process.env.BENCH_REPEATS ?? 5);
// Feed's soak plan is an open model (30 iterations a second, no think time): at this scale 12 s.
// Runs of 6 s (half the windows) caught 5 of 10 trials at a 1.31x slowdown under load; 12 s runs on
// a quiet machine caught 9 of 10 (every trial from 1.23x up) with no false alarm.
const PROFILE = 'soak' as const;
const TIME_SCALE = Number(process.env.BENCH_TIME_SCALE ?? 12 / 1800);
const WINDOW_S = 2;
const HOP = process.env.BENCH_HOP ?? 'gateway';
// A/A measures false alarms, which do not depend on the toxic: a second run at another toxic size
// can skip that side and take two thirds of the time.
const AA = process.env.BENCH_AA !== '0';
// Toxiproxy's latency and jitter are whole milliseconds, delay = latency + U{-jitter..jitter-1}: on a
// base P99 of about 9 ms, 1 ms is a 5% slowdown and 2 ms about 33%; latency 2 with jitter 1 delays
// each chunk 1 or 2 ms (1.5 on average), in between.
const JITTER_MS = Number(process.env.BENCH_TOXIC_JITTER_MS ?? 0);
if (!Number.isInteger(JITTER_MS) || JITTER_MS < 0) throw new Error(`BENCH_TOXIC_JITTER_MS=${process.env.BENCH_TOXIC_JITTER_MS}: expected a whole number of ms, 0 or more`);
const GATEWAY_PROXY = 'brink-compare-bench-gateway';
const TARGET_SLOWDOWN = 0.2;
const TOXIC = 'brink-compare-bench';
const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

console.log(`compare bench: ${TRIALS} trials x ${N} repeats x ${AA ? 3 : 2} sides, feed ${PROFILE} at time scale ${TIME_SCALE.toFixed(5)} (${Math.round(1800 * TIME_SCALE)} s a run), windows of ${WINDOW_S} s; load average ${load()} (2 cores; the machine is shared: read each figure with the load average printed beside it)`);
const t0 = performance.now();
const stack = await startStack({ provider: 'local' });
const dir = mkdtempSync(join(tmpdir(), 'brink-compare-bench-'));
let platformState: StackState | undefined;
const toxiproxy = new ToxiproxyClient(stack.urls.toxiproxy);
let hop = '';
let proxyCreated = false;
let cleaned = false;
let interrupted = false;
async function cleanup(): Promise<void> {
  if (cleaned) return;
  cleaned = true;
  if (hop) await toxiproxy.removeToxic(hop, TOXIC).catch(() => undefined);
  if (proxyCreated) await toxiproxy.deleteProxy(GATEWAY_PROXY).catch(() => undefined);
  if (platformState) await stopPlatformProcess(platformState).catch(() => undefined);
  await stopStack(stack).catch(() => undefined);
  if (!process.env.BENCH_KEEP) rmSync(dir, { recursive: true, force: true });
}
// Ctrl-C: toxic removed, platform and stack stopped, exit 105.
process.once('SIGINT', () => {
  interrupted = true;
  void cleanup().finally(() => process.exit(105));
});
try {
  const db = await createDatabase(stack, 'compare_bench');
  await seed(db.url, { scale: 'small', seed: 16 });
  const dbState: StackState = { ...stack, database: db.name, urls: { ...stack.urls, postgres: db.url } };
  const stateFile = join(dir, 'stack.json');
  writeFileSync(stateFile, JSON.stringify(dbState));
  const platform = await startPlatformProcess(dbState, { variant: 'optimized', switches: switchesFor('optimized'), stateFile, toxiproxyHops: true, proxiedInfra: true });
  platformState = { ...dbState, platform };
  const proxies = (await toxiproxy.listProxies()).map((p) => p.name);
  // Default: a proxy of the bench's own in front of the gateway, so EVERY request crosses the hop
  // and a latency toxic adds its delay once per response (the Redis hop of earlier versions is
  // crossed by only some requests: a 3 ms toxic there gave 1.16x). Every side (A, A', B) goes
  // through the same proxy, so the proxy's own overhead is in the base too.
  const gateway = platform.services.gateway;
  if (!gateway) throw new Error('the platform process reported no gateway URL');
  let target = gateway;
  if (HOP === 'gateway') {
    await toxiproxy.deleteProxy(GATEWAY_PROXY);
    const p = await toxiproxy.createProxy(GATEWAY_PROXY, '127.0.0.1:0', new URL(gateway).host);
    proxyCreated = true;
    hop = GATEWAY_PROXY;
    target = `http://${p.listen}`;
  } else {
    if (!proxies.includes(HOP)) throw new Error(`no proxy "${HOP}"; the proxies are: gateway (the bench's own), ${proxies.join(', ')}`);
    hop = HOP;
  }
  console.log(`stack, seed and platform ready in ${((performance.now() - t0) / 1000).toFixed(0)} s; toxic hop ${hop}${HOP === 'gateway' ? ` (load -> ${target} -> gateway)` : ''}; load average ${load()}`);

  // Setup data (tokens) once, reused by every run: same plan, same users; each run is a new engine.
  let data: SetupData | undefined;
  let runNo = 0;
  const run = async (outDir: string): Promise<number> => {
    const o: RunScenarioOptions = {
      scenario: 'feed', engine: 'node', profile: PROFILE, timeScale: TIME_SCALE, outDir, variant: 'optimized', target,
      thresholds: { http_req_failed: ['rate<0.5'] },
      ...(data ? { data } : { stack: platformState! }),
    };
    const s = await runScenario(o);
    data ??= JSON.parse(readFileSync(join(outDir, 'setup-data.json'), 'utf8')) as SetupData;
    runNo++;
    return s.totals.latencyMs.p99;
  };
  const withToxic = async <T>(latencyMs: number, f: () => Promise<T>): Promise<T> => {
    await toxiproxy.addToxic(hop, TOXIC, { type: 'latency', latencyMs, jitterMs: Math.min(JITTER_MS, latencyMs), stream: 'downstream', toxicity: 1 });
    try {
      return await f();
    } finally {
      await toxiproxy.removeToxic(hop, TOXIC);
    }
  };

  // Sizing the toxic on the gated statistic itself: after one warm-up run (discarded: the first
  // run after start-up is seconds slow), the median over five base runs of each run's median
  // per-window P99 (what the rank gate with --unit run compares); 20% of it is the toxic's size.
  // Then three interleaved pairs without and with that toxic measure the slowdown achieved, and
  // how much delay a request actually got per ms of toxic, on the P50 (P99 moves by tens of
  // percent from run to run on this machine; the P50 shows the added delay far more steadily). A
  // hop crossed more or less than once per request (or queueing) shows up there, and the toxic is
  // rescaled once by it and verified again. Both verifications are printed, and the slowdown each
  // trial actually got is printed next to its verdicts.
  const calib = join(dir, 'calibration');
  const windowsOf = (runDir: string) => readSide(runDir, 'base', WINDOW_S).repetitions[0]!.windows;
  const gateP99 = (runDir: string) => median(windowsOf(runDir).map((w) => w.p99Ms));
  const gateP50 = (runDir: string) => median(windowsOf(runDir).map((w) => w.p50Ms));
  const fixedMs = process.env.BENCH_TOXIC_MS === undefined ? undefined : Number(process.env.BENCH_TOXIC_MS);
  await run(join(calib, 'warm-up'));
  const baseP99: number[] = [];
  for (let i = 0; i < 5; i++) {
    await run(join(calib, `base-${i}`));
    baseP99.push(gateP99(join(calib, `base-${i}`)));
  }
  console.log(`baseline (after a discarded warm-up run): median per-window P99 of 5 base runs ${median(baseP99).toFixed(1)} ms (${baseP99.map((v) => v.toFixed(1)).join(', ')}); load average ${load()}`);
  let latencyMs = fixedMs ?? Math.min(200, Math.max(1, Math.round(TARGET_SLOWDOWN * median(baseP99))));
  let pass = 0;
  const verify = async (ms: number): Promise<{ achieved: number; perMs: number; baseP99: number }> => {
    pass++;
    const a: number[] = [];
    const b: number[] = [];
    const a50: number[] = [];
    const b50: number[] = [];
    for (let i = 0; i < 3; i++) {
      await run(join(calib, `v${pass}-a-${i}`));
      a.push(gateP99(join(calib, `v${pass}-a-${i}`)));
      a50.push(gateP50(join(calib, `v${pass}-a-${i}`)));
      await withToxic(ms, () => run(join(calib, `v${pass}-b-${i}`)));
      b.push(gateP99(join(calib, `v${pass}-b-${i}`)));
      b50.push(gateP50(join(calib, `v${pass}-b-${i}`)));
    }
    const achieved = median(b) / median(a);
    const perMs = (median(b50) - median(a50)) / ms;
    console.log(`verify ${pass}: ${ms} ms${JITTER_MS ? ` (jitter ${Math.min(JITTER_MS, ms)} ms)` : ''} toxic on ${hop}: per-window P99 ${median(a).toFixed(1)} -> ${median(b).toFixed(1)} ms = ${achieved.toFixed(2)}x (target ${(1 + TARGET_SLOWDOWN).toFixed(2)}x); P50 ${median(a50).toFixed(1)} -> ${median(b50).toFixed(1)} ms = ${perMs.toFixed(2)} ms of delay per ms of toxic; load average ${load()}`);
    return { achieved, perMs, baseP99: median(a) };
  };
  let v = await verify(latencyMs);
  if (fixedMs === undefined && (v.perMs < 0.8 || v.perMs > 1.25)) {
    // The base P99 of every A run so far (eight), and the delay per ms of toxic the P50 showed.
    const base = median([...baseP99, v.baseP99]);
    latencyMs = Math.min(200, Math.max(1, Math.round((TARGET_SLOWDOWN * base) / Math.max(0.25, v.perMs))));
    v = await verify(latencyMs);
  }
  const toxicText = JITTER_MS ? `${latencyMs} ms (jitter ${Math.min(JITTER_MS, latencyMs)} ms)` : `${latencyMs} ms`;
  console.log(`using a ${toxicText} latency toxic on ${hop} for B (verified slowdown of the per-window P99: ${v.achieved.toFixed(2)}x; the per-trial slowdowns follow)`);

  const writeIndex = (side: string) => writeFileSync(join(side, 'repeats.json'), JSON.stringify({
    schemaVersion: 1, kind: 'repeats', scenario: 'feed', profile: 'smoke', engine: 'node', repetitions: N,
    runs: Array.from({ length: N }, (_, i) => ({ dir: `repeat-${i + 1}`, status: 'passed', requests: 0, p99Ms: 0 })),
  }));
  type Tally = { rank: number; window: number; fixed: number; p50: number };
  const aa: Tally = { rank: 0, window: 0, fixed: 0, p50: 0 };
  const ab: Tally = { rank: 0, window: 0, fixed: 0, p50: 0 };
  const slowdowns: number[] = [];
  console.log('\ntrial  A/A: run  window fixed (p99 change, p; window unit)  A/B: run  window fixed (p99 change, p; window unit)  B/A P99  load');
  for (let t = 1; t <= TRIALS; t++) {
    const sides = { a: join(dir, `t${t}`, 'A'), a2: join(dir, `t${t}`, 'A2'), b: join(dir, `t${t}`, 'B') };
    const p99 = { a: [] as number[], b: [] as number[] };
    for (let i = 1; i <= N; i++) {
      await run(join(sides.a, `repeat-${i}`));
      p99.a.push(gateP99(join(sides.a, `repeat-${i}`)));
      if (AA) await run(join(sides.a2, `repeat-${i}`));
      await withToxic(latencyMs, () => run(join(sides.b, `repeat-${i}`)));
      p99.b.push(gateP99(join(sides.b, `repeat-${i}`)));
    }
    for (const s of AA ? Object.values(sides) : [sides.a, sides.b]) { mkdirSync(s, { recursive: true }); writeIndex(s); }
    slowdowns.push(median(p99.b) / median(p99.a));
    const judge = (head: string, tally: Tally) => {
      const rank = compareDirs(sides.a, head, { ...DEFAULT_SIDES, windowS: WINDOW_S, unit: 'run' }).comparison;
      const window = compareDirs(sides.a, head, { ...DEFAULT_SIDES, windowS: WINDOW_S, unit: 'window' }).comparison;
      const fixed = compareDirs(sides.a, head, { ...DEFAULT_SIDES, gate: 'fixed' }).comparison;
      tally.rank += rank.regression ? 1 : 0;
      tally.window += window.regression ? 1 : 0;
      tally.fixed += fixed.regression ? 1 : 0;
      const m = window.stats!.metrics.find((x) => x.metric === 'p99')!;
      const p50 = window.stats!.metrics.find((x) => x.metric === 'p50')!;
      if (p50.significant && p50.change.estimate > 0) tally.p50 += 1;
      const mark = (b: boolean) => (b ? 'REG' : ' - ');
      return `${mark(rank.regression)}  ${mark(window.regression)}    ${mark(fixed.regression)}  (${m.change.estimate >= 0 ? '+' : ''}${m.change.estimate.toFixed(1)}%, p=${m.test.pValue.toFixed(3)})`.padEnd(46);
    };
    console.log(`${String(t).padStart(5)}  ${AA ? judge(sides.a2, aa) : '(A/A not run: BENCH_AA=0)'.padEnd(46)}  ${judge(sides.b, ab)}  ${slowdowns.at(-1)!.toFixed(2)}x   ${load()}`);
  }
  console.log(`\nruns: ${runNo} in ${((performance.now() - t0) / 60000).toFixed(1)} min; toxic ${toxicText} on ${hop}; measured slowdown (B / A, medians of the runs' median per-second P99, per trial): median ${median(slowdowns).toFixed(2)}x, range ${Math.min(...slowdowns).toFixed(2)}-${Math.max(...slowdowns).toFixed(2)}x`);
  if (AA) {
    console.log(`false alarms (A/A flagged REGRESSION), goal <= 1 of ${TRIALS}:`);
    console.log(`  rank test, one sample per run:            ${aa.rank} of ${TRIALS}`);
    console.log(`  rank test, one sample per 2 s window (default unit): ${aa.window} of ${TRIALS}`);
    console.log(`  fixed 10% tolerance, one run each (old):  ${aa.fixed} of ${TRIALS}`);
  } else console.log('false alarms: not measured in this run (BENCH_AA=0)');
  console.log(`detections (A/B flagged REGRESSION), goal >= 8 of ${TRIALS}:`);
  console.log(`  rank test, one sample per run:            ${ab.rank} of ${TRIALS}`);
  console.log(`  rank test, one sample per 2 s window (default unit): ${ab.window} of ${TRIALS}`);
  console.log(`  fixed 10% tolerance, one run each (old):  ${ab.fixed} of ${TRIALS}`);
  console.log(`P50 significantly higher (window unit, not gated): ${AA ? `A/A ${aa.p50} of ${TRIALS}, ` : ''}A/B ${ab.p50} of ${TRIALS}`);
  console.log(`load average at the end: ${load()} (2 cores)`);
  await stopPlatformProcess(platformState);
  platformState = undefined;
  await db.drop();
} catch (e) {
  // Interrupted: the SIGINT handler is cleaning up and exits 105; the run it cut short is no news.
  if (interrupted) await new Promise(() => undefined);
  throw e;
} finally {
  await cleanup();
}
