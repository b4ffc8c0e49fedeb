/**
 * npm run bench:engine - brink's Node engine next to autocannon (Node, closed model) and vegeta
 * (Go, open model; built into .tools/bin on first use, benchmarks only), on loopback.
 *   1. Maximum req/s against a minimal Node server at the same connection count, on one core
 *      (brink 1 worker thread, autocannon 1 worker, vegeta GOMAXPROCS=1) and on every core (brink
 *      and autocannon one worker per core, vegeta all cores). Printed as brink / tool ratios.
 *   2. P99 each tool reports against a server that stalls 1 s out of every 5 s, next to the true
 *      P99 of the open-model schedule (what a user arriving on schedule would have waited).
 *   3. The engine's RSS while it runs a million requests (histograms, not sample arrays).
 * Servers run in child processes so a stall freezes the target, not the load generator. Tools take
 * turns in short rounds so a busy machine hurts them alike; the load average is printed next to
 * every figure because this machine is shared. Bounded: every phase has a duration or a cap.
 */
import autocannon from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHistogram, percentileMs, recordMs } from '../core/index.ts';
import { BENCH_SCENARIO_REF, benchGetScenario, LoadEngine, Recorder, type ExecutorConfig } from '../scenarios/index.ts';
import type { SetupData } from '../scenarios/index.ts';
import { ensureVegeta, vegetaAttack } from './lib/vegeta.ts';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const MAX_S = Number(process.env.BENCH_MAX_S ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const STALL_RATE = Number(process.env.BENCH_STALL_RATE ?? 50);
const STALL_S = Number(process.env.BENCH_STALL_S ?? 20);
const MILLION = Number(process.env.BENCH_REQUESTS ?? 1_000_000);
const MILLION_CAP_S = Number(process.env.BENCH_MILLION_CAP_S ?? 120);
const CORES = availableParallelism();
/** Which parts to run, e.g. BENCH_PARTS=2 for the stall test alone. */
const PARTS = new Set((process.env.BENCH_PARTS ?? '1,2,3').split(',').map((x) => x.trim()));
const PERIOD_MS = 5000;
const STALL_MS = 1000;
const dir = mkdtempSync(join(tmpdir(), 'brink-bench-engine-'));
const load = () => `load ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`;

// A server in a child process; with stall, its event loop freezes during the last second of every
// 5 s of wall-clock time (Date.now() % 5000 >= 4000), so the truth is known for any send time.
function startServer(stall: boolean): Promise<{ url: string; child: ChildProcess }> {
  const code = `
    const http = require('node:http');
    const s = http.createServer({ keepAliveTimeout: 60000 }, (q, r) => { r.writeHead(200, { 'content-type': 'text/plain', 'content-length': 2 }); r.end('ok'); });
    s.listen(0, '127.0.0.1', () => console.log(s.address().port));
    ${stall ? `setInterval(() => { if (Date.now() % ${PERIOD_MS} >= ${PERIOD_MS - STALL_MS}) { while (Date.now() % ${PERIOD_MS} >= ${PERIOD_MS - STALL_MS}); } }, 2);` : ''}
  `;
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve) => child.stdout!.once('data', (b: Buffer) => resolve({ url: `http://127.0.0.1:${b.toString().trim()}`, child })));
}

const data = (url: string): SetupData => ({ baseUrl: url, users: [], heavyUsers: [], conversations: [], searchTerms: { selective: [], broad: [] }, dataset: 'bench' });

/** CPU seconds this process (its worker threads included) spends while fn runs. */
async function withCpu<T>(fn: () => Promise<T>): Promise<T & { cpuS: number }> {
  const c0 = process.cpuUsage();
  const r = await fn();
  const c = process.cpuUsage(c0);
  return { ...r, cpuS: (c.user + c.system) / 1e6 };
}

async function brink(url: string, scenario: ExecutorConfig, workers = 1, signal?: AbortSignal, onTick?: (requests: number) => void) {
  const engine = new LoadEngine();
  if (onTick) engine.on('tick', (t) => onTick(t.requestsSoFar));
  const r = await engine.run({
    scenario: benchGetScenario, plan: { scenario, thresholds: {} }, data: data(url), gracefulStopS: 5,
    ...(workers > 1 ? { workers, scenarioRef: BENCH_SCENARIO_REF } : {}),
    ...(signal ? { signal } : {}),
  });
  return { startedAtMs: Date.parse(r.startedAt), rps: r.totals.ratePerSec, p99: r.totals.latencyMs.p99, requests: r.totals.requests, errors: r.totals.errors };
}

async function autocannonRun(url: string, durationS: number, o: { overallRate?: number; connections?: number; workers?: number } = {}) {
  const r = await autocannon({ url, connections: o.connections ?? CONNECTIONS, duration: durationS, ...(o.overallRate ? { overallRate: o.overallRate } : {}), ...(o.workers && o.workers > 1 ? { workers: o.workers } : {}) });
  return { rps: r.requests.average, p99: r.latency.p99, requests: r.requests.total, errors: r.errors + r.non2xx };
}

async function vegetaRun(bin: string, url: string, durationS: number, ratePerS: number, oneCore: boolean) {
  const r = await vegetaAttack(bin, {
    targets: [{ method: 'GET', url: `${url}/` }],
    ratePerS,
    durationS,
    ...(ratePerS === 0 ? { workers: CONNECTIONS, maxWorkers: CONNECTIONS } : {}),
    ...(oneCore ? { env: { GOMAXPROCS: '1' } } : {}),
  }, dir);
  return { startedAtMs: r.earliestMs, rps: r.ratePerS, p99: r.latencyMs.p99, requests: r.requests, errors: r.requests - Math.round(r.successRatio * r.requests), cpuS: r.cpuS ?? NaN };
}

/** The true P99 of an open schedule (rate per s from startMs for durationS) against the stall pattern. */
function trueP99(startMs: number, rate: number, durationS: number, baseMs: number): number {
  const h = createHistogram();
  for (let i = 0; i < rate * durationS; i++) {
    const t = startMs + (i * 1000) / rate;
    const phase = ((t % PERIOD_MS) + PERIOD_MS) % PERIOD_MS;
    recordMs(h, (phase >= PERIOD_MS - STALL_MS ? PERIOD_MS - phase : 0) + baseMs);
  }
  return percentileMs(h, 99);
}

const fmt = (n: number, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
const rssMb = () => process.memoryUsage().rss / 2 ** 20;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

console.log(`bench:engine on ${CORES} cores, ${load()} at start. The machine is shared: compare the ratios measured side by side, not absolute figures.`);
const vegeta = await ensureVegeta();

// 1. Maximum throughput.
if (PARTS.has('1')) {
  const { url, child } = await startServer(false);
  try {
    console.log(`\n1. Maximum req/s, ${CONNECTIONS} connections, ${ROUNDS} alternating rounds of ${MAX_S} s, minimal Node server (its own process) on loopback`);
    const closed: ExecutorConfig = { executor: 'constant-vus', vus: CONNECTIONS, duration: `${MAX_S}s` };
    // Warm-up (not counted): module loading and JIT would otherwise be the first round's figure.
    await brink(url, { ...closed, duration: '2s' });
    await autocannonRun(url, 2);
    // Each round runs every tool once, back to back; besides req/s (which the machine's load swings
    // by 3x between rounds), each tool's CPU per request: requests per CPU-second of the generator is
    // what one core would give it, and is far steadier on a busy machine.
    const tools: Array<[string, () => Promise<{ rps: number; requests: number; cpuS: number }>]> = [
      ['brink, 1 worker', () => withCpu(() => brink(url, closed))],
      ['autocannon, 1 worker', () => withCpu(() => autocannonRun(url, MAX_S))],
      ['vegeta, GOMAXPROCS=1', () => vegetaRun(vegeta, url, MAX_S, 0, true)],
      [`brink, ${CORES} workers`, () => withCpu(() => brink(url, closed, CORES))],
      [`autocannon, ${CORES} workers`, () => withCpu(() => autocannonRun(url, MAX_S, { workers: CORES }))],
      ['vegeta, all cores', () => vegetaRun(vegeta, url, MAX_S, 0, false)],
    ];
    const got = new Map<string, Array<{ rps: number; perCpuS: number; load: string }>>(tools.map(([n]) => [n, []]));
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, fn] of tools) {
        const r = await fn();
        got.get(name)!.push({ rps: r.rps, perCpuS: r.requests / r.cpuS, load: load() });
      }
    }
    const med = (name: string) => median(got.get(name)!.map((x) => x.rps));
    const medCpu = (name: string) => median(got.get(name)!.map((x) => x.perCpuS));
    /** Median of the rounds' ratios: each round's two figures were measured a few seconds apart. */
    const pairs = (a: string, b: string) => median(got.get(a)!.map((x, i) => x.rps / got.get(b)![i]!.rps));
    for (const [name, xs] of got) {
      console.log(`   ${name.padEnd(22)} median ${fmt(med(name)).padStart(7)} req/s, ${fmt(medCpu(name)).padStart(7)} req per CPU-second  (rounds: ${xs.map((x) => `${fmt(x.rps)} [${x.load}]`).join(', ')})`);
    }
    const line = (label: string, b: string, ac: string, v: string) =>
      console.log(`   ${label}: brink / autocannon = ${fmt(med(b) / med(ac), 2)} (median of round ratios ${fmt(pairs(b, ac), 2)}; per CPU-second ${fmt(medCpu(b) / medCpu(ac), 2)})   brink / vegeta = ${fmt(med(b) / med(v), 2)} (round ratios ${fmt(pairs(b, v), 2)}; per CPU-second ${fmt(medCpu(b) / medCpu(v), 2)})`);
    line('one core  ', 'brink, 1 worker', 'autocannon, 1 worker', 'vegeta, GOMAXPROCS=1');
    line('every core', `brink, ${CORES} workers`, `autocannon, ${CORES} workers`, 'vegeta, all cores');
    console.log(`   (the server, a single Node process, shares the ${CORES} cores with the generator)`);
  } finally {
    child.kill();
  }
}

// 2. Coordinated omission.
if (PARTS.has('2')) {
  const { url, child } = await startServer(true);
  try {
    console.log(`\n2. P99 against a server that stalls ${STALL_MS} ms every ${PERIOD_MS} ms: ${STALL_RATE} req/s for ${STALL_S} s`);
    const open: ExecutorConfig = { executor: 'constant-arrival-rate', rate: STALL_RATE, timeUnit: '1s', duration: `${STALL_S}s`, preAllocatedVUs: STALL_RATE * 2, maxVUs: STALL_RATE * 3 };
    await brink(url, { ...open, duration: '2s' }); // warm-up, not counted
    const off = (p99: number, truth: number) => `${fmt((100 * (p99 - truth)) / truth, 1)}% off`;
    const b = await brink(url, open);
    const bTruth = trueP99(b.startedAtMs, STALL_RATE, STALL_S, 1);
    console.log(`   brink (open model, timed from intended send)       P99 ${fmt(b.p99, 1).padStart(7)} ms, true ${fmt(bTruth)} ms -> ${off(b.p99, bTruth)}  [${load()}]`);
    const v = await vegetaRun(vegeta, url, STALL_S, STALL_RATE, false);
    const vTruth = trueP99(v.startedAtMs, STALL_RATE, STALL_S, 1);
    console.log(`   vegeta (open model, workers grow as needed)       P99 ${fmt(v.p99, 1).padStart(7)} ms, true ${fmt(vTruth)} ms -> ${off(v.p99, vTruth)}  [${load()}]`);
    const startAc = Date.now();
    const ac = await autocannonRun(url, STALL_S, { overallRate: STALL_RATE, connections: 10 });
    const acTruth = trueP99(startAc, STALL_RATE, STALL_S, 1);
    console.log(`   autocannon (10 connections, overallRate, closed)  P99 ${fmt(ac.p99, 1).padStart(7)} ms, true ${fmt(acTruth)} ms -> ${off(ac.p99, acTruth)}; ${fmt(ac.requests)} of ${fmt(STALL_RATE * STALL_S)} scheduled requests sent  [${load()}]`);
  } finally {
    child.kill();
  }
}

// 3. Memory over a million requests.
if (PARTS.has('3')) {
  const { url, child } = await startServer(false);
  try {
    console.log(`\n3. brink engine RSS over ${fmt(MILLION)} requests (${CONNECTIONS} VUs, 1 worker, capped at ${MILLION_CAP_S} s)`);
    const ac = new AbortController();
    const marks: string[] = [];
    const before = rssMb();
    const t0 = Date.now();
    let nextMarkMs = 20_000;
    const r = await brink(url, { executor: 'constant-vus', vus: CONNECTIONS, duration: `${MILLION_CAP_S}s` }, 1, ac.signal, (n) => {
      // RSS every 20 s of the run: flat means the engine keeps no per-request state.
      if (Date.now() - t0 >= nextMarkMs) {
        marks.push(`${nextMarkMs / 1000}s/${fmt(n / 1000)}k req: ${fmt(rssMb())} MB`);
        nextMarkMs += 20_000;
      }
      if (n >= MILLION) ac.abort();
    });
    console.log(`   RSS before ${fmt(before)} MB; ${marks.join(', ')}; end: ${fmt(r.requests)} requests (${fmt(r.rps)} req/s), ${fmt(rssMb())} MB  [${load()}]`);
  } finally {
    child.kill();
  }
}

// 3b. The recorder alone (no network): a million requests' samples, as the engine records them.
if (PARTS.has('3')) {
  const before = rssMb();
  const r = new Recorder({ phases: [{ name: 'all', startMs: 0, endMs: 1e9 }] });
  const tags = { name: 'feed', status: '200', expected_response: 'true', method: 'GET' };
  const t0 = performance.now();
  for (let i = 0; i < MILLION; i++) {
    const tMs = i / 10; // 10,000 requests per second of run time
    r.add('http_reqs', 1, tags, tMs);
    r.add('http_req_duration', 1 + (i % 1000) / 10, tags, tMs);
    r.add('http_req_failed', 0, tags, tMs);
    if (i % 10_000 === 0) r.flushBefore(tMs);
  }
  const s = r.finish(MILLION / 10);
  console.log(`   recorder alone: ${fmt(MILLION)} requests (${fmt(3 * MILLION)} samples) in ${fmt(performance.now() - t0)} ms; RSS ${fmt(before)} -> ${fmt(rssMb())} MB; p99 ${s.totals.latencyMs.p99} ms, ${s.timeSeries.length} time-series points  [${load()}]`);
}
