/**
 * npm run bench:engine - the Node load engine next to autocannon and stock k6, on loopback.
 *   1. Maximum req/s against a minimal Node server (closed model, same connection count).
 *   2. P99 each tool reports against a server that stalls 1 s out of every 5 s, next to the true
 *      P99 of the open-model schedule (what a user arriving on schedule would have waited).
 *   3. The engine's RSS while it runs a million requests (histograms, not sample arrays).
 * Servers run in child processes so a stall freezes the target, not the load generator.
 * Bounded: every phase has a fixed duration or a request/time cap. Prints figures.
 */
import autocannon from 'autocannon';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TOOLS_BIN, createHistogram, percentileMs, recordMs } from '../core/index.ts';
import { LoadEngine } from '../scenarios/engine/engine.ts';
import { Recorder } from '../scenarios/engine/recorder.ts';
import type { ScenarioDescriptor, SetupData } from '../scenarios/index.ts';
import type { ExecutorConfig } from '../scenarios/k6/lib/plans.js';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const MAX_S = Number(process.env.BENCH_MAX_S ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const STALL_RATE = Number(process.env.BENCH_STALL_RATE ?? 50);
const STALL_S = Number(process.env.BENCH_STALL_S ?? 20);
const MILLION = Number(process.env.BENCH_REQUESTS ?? 1_000_000);
const MILLION_CAP_S = Number(process.env.BENCH_MILLION_CAP_S ?? 120);
const PERIOD_MS = 5000;
const STALL_MS = 1000;
const dir = mkdtempSync(join(tmpdir(), 'brink-bench-engine-'));

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

const benchScenario: ScenarioDescriptor = {
  id: 'bench',
  description: 'GET / as fast as possible',
  k6Script: '',
  planKey: '',
  metrics: [],
  node: { iteration: async (vu) => void (await vu.get('/', { name: 'bench', discardBody: true })) },
};
const data = (url: string): SetupData => ({ baseUrl: url, users: [], heavyUsers: [], conversations: [], searchTerms: { selective: [], broad: [] }, dataset: 'bench' });

async function nodeEngine(url: string, scenario: ExecutorConfig, signal?: AbortSignal, onTick?: (requests: number) => void) {
  const engine = new LoadEngine();
  if (onTick) engine.on('tick', (t) => onTick(t.requestsSoFar));
  const r = await engine.run({ scenario: benchScenario, plan: { scenario, thresholds: {} }, data: data(url), gracefulStopS: 5, ...(signal ? { signal } : {}) });
  return { startedAtMs: Date.parse(r.startedAt), rps: r.totals.ratePerSec, p99: r.totals.latencyMs.p99, requests: r.totals.requests, errors: r.totals.errors };
}

async function autocannonRun(url: string, durationS: number, overallRate?: number, connections = CONNECTIONS) {
  const r = await autocannon({ url, connections, duration: durationS, ...(overallRate ? { overallRate } : {}) });
  return { rps: r.requests.average, p99: r.latency.p99, requests: r.requests.total, errors: r.errors + r.non2xx };
}

function k6Run(url: string, scenario: ExecutorConfig) {
  const script = join(dir, 'bench.js');
  writeFileSync(script, `
    import http from 'k6/http';
    export const options = { scenarios: { bench: ${JSON.stringify(scenario)} }, summaryTrendStats: ['p(99)', 'max'] };
    export default function () { http.get('${url}/'); }
    export function handleSummary(d) { return { '${join(dir, 'k6.json')}': JSON.stringify(d) }; }
  `);
  const started = Date.now();
  const r = spawnSync(join(TOOLS_BIN, 'k6'), ['run', '--quiet', '--no-usage-report', script], { encoding: 'utf8', timeout: 300_000 });
  if (r.status !== 0) throw new Error(`k6 exited ${r.status}: ${r.stderr.slice(-500)}`);
  const s = JSON.parse(readFileSync(join(dir, 'k6.json'), 'utf8'));
  return { startedAtMs: started, rps: s.metrics.http_reqs.values.rate as number, p99: s.metrics.http_req_duration.values['p(99)'] as number, requests: s.metrics.http_reqs.values.count as number };
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

// 1. Maximum throughput: the tools take turns in short rounds, so a busy machine hurts them alike.
{
  const { url, child } = await startServer(false);
  try {
    console.log(`\n1. Maximum req/s, ${CONNECTIONS} connections, ${ROUNDS} alternating rounds of ${MAX_S} s, minimal Node server on loopback`);
    const closed: ExecutorConfig = { executor: 'constant-vus', vus: CONNECTIONS, duration: `${MAX_S}s` };
    // Warm-up (not counted): module loading and JIT would otherwise be the first round's figure.
    await nodeEngine(url, { executor: 'constant-vus', vus: CONNECTIONS, duration: '2s' });
    await autocannonRun(url, 2);
    const got: Record<string, number[]> = { 'brink node engine': [], autocannon: [], k6: [] };
    for (let round = 0; round < ROUNDS; round++) {
      got['brink node engine']!.push((await nodeEngine(url, closed)).rps);
      got.autocannon!.push((await autocannonRun(url, MAX_S)).rps);
      got.k6!.push(k6Run(url, closed).rps);
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    for (const [tool, xs] of Object.entries(got)) console.log(`   ${tool.padEnd(18)} median ${fmt(median(xs))} req/s  (rounds: ${xs.map((x) => fmt(x)).join(', ')})`);
    console.log(`   node engine / autocannon = ${fmt(median(got['brink node engine']!) / median(got.autocannon!), 2)} (median of rounds)`);
  } finally {
    child.kill();
  }
}

// 2. Coordinated omission.
{
  const { url, child } = await startServer(true);
  try {
    console.log(`\n2. P99 against a server that stalls ${STALL_MS} ms every ${PERIOD_MS} ms: ${STALL_RATE} req/s for ${STALL_S} s`);
    const open: ExecutorConfig = { executor: 'constant-arrival-rate', rate: STALL_RATE, timeUnit: '1s', duration: `${STALL_S}s`, preAllocatedVUs: STALL_RATE * 2, maxVUs: STALL_RATE * 3 };
    await nodeEngine(url, { ...open, duration: '2s' }); // warm-up, not counted
    const ne = await nodeEngine(url, open);
    const neTruth = trueP99(ne.startedAtMs, STALL_RATE, STALL_S, 1);
    const k6 = k6Run(url, open);
    const k6Truth = trueP99(k6.startedAtMs, STALL_RATE, STALL_S, 1);
    const ac = await autocannonRun(url, STALL_S, STALL_RATE, 10);
    console.log(`   true P99 of the schedule  ~${fmt(neTruth)} ms (node run), ~${fmt(k6Truth)} ms (k6 run)`);
    console.log(`   brink node engine (open model, from intended send time)  P99 ${fmt(ne.p99, 1)} ms  -> ${fmt((100 * (ne.p99 - neTruth)) / neTruth, 1)}% off`);
    console.log(`   k6 constant-arrival-rate (from actual send)               P99 ${fmt(k6.p99, 1)} ms  -> ${fmt((100 * (k6.p99 - k6Truth)) / k6Truth, 1)}% off`);
    console.log(`   autocannon 10 connections, overallRate ${STALL_RATE} (closed)      P99 ${fmt(ac.p99, 1)} ms  (${fmt(ac.requests)} requests sent of ${fmt(STALL_RATE * STALL_S)} scheduled)`);
  } finally {
    child.kill();
  }
}

// 3. Memory over a million requests.
{
  const { url, child } = await startServer(false);
  try {
    console.log(`\n3. Node engine RSS over ${fmt(MILLION)} requests (${CONNECTIONS} VUs, capped at ${MILLION_CAP_S} s)`);
    const ac = new AbortController();
    const marks: string[] = [];
    const before = rssMb();
    const t0 = Date.now();
    let nextMarkMs = 20_000;
    const r = await nodeEngine(url, { executor: 'constant-vus', vus: CONNECTIONS, duration: `${MILLION_CAP_S}s` }, ac.signal, (n) => {
      // RSS every 20 s of the run: flat means the engine keeps no per-request state.
      if (Date.now() - t0 >= nextMarkMs) {
        marks.push(`${nextMarkMs / 1000}s/${fmt(n / 1000)}k req: ${fmt(rssMb())} MB`);
        nextMarkMs += 20_000;
      }
      if (n >= MILLION) ac.abort();
    });
    console.log(`   RSS before ${fmt(before)} MB; ${marks.join(', ')}; end: ${fmt(r.requests)} requests (${fmt(r.rps)} req/s), ${fmt(rssMb())} MB`);
  } finally {
    child.kill();
  }
}

// 3b. The recorder alone (no network): a million requests' samples, as the engine records them.
{
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
  console.log(`   recorder alone: ${fmt(MILLION)} requests (${fmt(3 * MILLION)} samples) in ${fmt(performance.now() - t0)} ms; RSS ${fmt(before)} -> ${fmt(rssMb())} MB; p99 ${s.totals.latencyMs.p99} ms, ${s.timeSeries.length} time-series points`);
}
