/**
 * npm run bench:soak: the mixed soak (feed, search and chat at once) on the optimized platform,
 * 30 minutes by default (SOAK_MINUTES=3 for a short one), printing each process's memory (PSS) slope and
 * the error count. Goal (issue 18): no growth beyond noise and zero errors.
 *
 * The load is exactly `brink run <scenario> --profile soak` for feed, search-spike and chat-burst,
 * run side by side (runScenario, the soak plans of scenarios/k6/lib/plans.js, Node engine);
 * SOAK_MINUTES only rescales the plans' durations (timeScale = minutes / 30), never the rates.
 *
 * The platform runs split (one process per service, as `brink stack up --layout split`) on a fresh
 * small dataset, so each service's memory is its own. Every SAMPLE_S seconds the PSS of every process is
 * read from /proc: the stack's servers, the platform's services, and this load generator. The
 * slope is a least-squares line over the second half of the run (the first half fills caches and
 * pools), in MB per 10 minutes, next to the residual noise (standard deviation) of the same half:
 * a slope whose total over the half stays within twice the noise is "flat".
 * Runs on the stack named by BRINK_STACK_STATE / `brink stack up` (infrastructure only is enough),
 * else starts a local one and stops it afterwards. Loopback only; bounded by the plans' durations.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunSummary } from '../core/index.ts';
import { createDatabase, readStackStateFile, startPlatformProcess, startStack, stopPlatformProcess, stopStack, type StackState } from '../stack/index.ts';
import { seed } from '../reference-system/index.ts';
import { switchesFor } from '../core/index.ts';
import { runScenario } from '../scenarios/index.ts';
import { processMemoryMb } from '../assess/index.ts';

const MINUTES = Number(process.env.SOAK_MINUTES ?? 30);
const SAMPLE_S = Number(process.env.SAMPLE_S ?? Math.max(2, Math.min(15, (MINUTES * 60) / 60)));
const SCENARIOS = ['feed', 'search-spike', 'chat-burst'] as const;
if (!Number.isFinite(MINUTES) || MINUTES <= 0 || MINUTES > 24 * 60) throw new Error(`SOAK_MINUTES "${process.env.SOAK_MINUTES}" is not a number of minutes in (0, 1440]`);

const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');
const fmt = (n: number, d = 1) => n.toFixed(d);

function childrenOf(pid: number): { pid: number; cmd: string }[] {
  const out: { pid: number; cmd: string }[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) !== pid) continue;
      out.push({ pid: Number(d), cmd: readFileSync(`/proc/${d}/cmdline`, 'utf8').replace(/\0/g, ' ') });
    } catch {
      // gone while we looked
    }
  }
  return out;
}

/** Every process's parent (one pass over /proc), to sum a process tree. */
function parents(): Map<number, number> {
  const m = new Map<number, number>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      m.set(Number(d), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone while we looked
    }
  }
  return m;
}

/** Memory (PSS) of a process and all its descendants (undefined once the root has gone). */
function treeMemoryMb(root: number, ppids: Map<number, number>): number | undefined {
  const own = processMemoryMb(root);
  if (own === undefined) return undefined;
  let sum = own;
  for (const [pid, ppid] of ppids) if (ppid === root) sum += treeMemoryMb(pid, ppids) ?? 0;
  return sum;
}

/** The platform's services: each split child names its service in BRINK_PLATFORM_CHILD, a gateway worker its instance in BRINK_GATEWAY_WORKER; else the pid. */
function serviceName(pid: number, index: number): string {
  try {
    const vars = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
    const worker = vars.find((e) => e.startsWith('BRINK_GATEWAY_WORKER='));
    if (worker) return `platform:${(JSON.parse(worker.slice('BRINK_GATEWAY_WORKER='.length)) as { instanceId?: string }).instanceId ?? 'gateway-worker'}`;
    const env = vars.find((e) => e.startsWith('BRINK_PLATFORM_CHILD='));
    const parsed = env ? (JSON.parse(env.slice('BRINK_PLATFORM_CHILD='.length)) as { services?: string[]; only?: string[] }) : undefined;
    const names = parsed?.services ?? parsed?.only;
    if (names?.length) return `platform:${names.join('+')}`;
  } catch {
    // not readable
  }
  return `platform:child-${index}`;
}

/** Least squares y = a + b t; returns the slope per minute and the residuals' standard deviation. */
export function fitLine(points: { tMin: number; mb: number }[]): { slopePerMin: number; noiseMb: number } {
  const n = points.length;
  if (n < 3) return { slopePerMin: 0, noiseMb: 0 };
  const mt = points.reduce((a, p) => a + p.tMin, 0) / n;
  const my = points.reduce((a, p) => a + p.mb, 0) / n;
  const sxx = points.reduce((a, p) => a + (p.tMin - mt) ** 2, 0);
  const sxy = points.reduce((a, p) => a + (p.tMin - mt) * (p.mb - my), 0);
  const b = sxx === 0 ? 0 : sxy / sxx;
  const a = my - b * mt;
  const noise = Math.sqrt(points.reduce((s, p) => s + (p.mb - (a + b * p.tMin)) ** 2, 0) / (n - 2));
  return { slopePerMin: b, noiseMb: noise };
}

async function main(): Promise<void> {
  console.log(`bench:soak: ${MINUTES} min of feed + search + chat (soak profiles) on the optimized platform, memory (PSS) every ${SAMPLE_S} s; load average ${load()} (2 cores, shared: read the figures with the load averages printed beside them)`);
  let base = readStackStateFile();
  const ownStack = !base;
  if (!base) {
    console.log('no running stack: starting a local one');
    base = await startStack({ provider: 'local' });
  }
  const work = mkdtempSync(join(tmpdir(), 'brink-soak-'));
  const db = await createDatabase(base, 'soak_bench');
  // The scenarios read their users from urls.postgres: point it at the soak database.
  const pgUrl = new URL(base.urls.postgres);
  pgUrl.pathname = `/${db.name}`;
  let state: StackState = { ...base, database: db.name, urls: { ...base.urls, postgres: pgUrl.toString() } };
  const stateFile = join(work, 'stack.json');
  try {
    const t0 = performance.now();
    await seed(db.url, { scale: 'small', seed: 11 });
    console.log(`seeded small in ${fmt((performance.now() - t0) / 1000)} s`);
    writeFileSync(stateFile, JSON.stringify(state));
    const platform = await startPlatformProcess(state, { variant: 'optimized', switches: switchesFor('optimized'), split: true, stateFile });
    state = { ...state, platform };
    writeFileSync(stateFile, JSON.stringify(state));

    // A stack component is its process tree (RabbitMQ's pid is a shell around beam.smp; Postgres
    // has a backend per connection): its memory is the tree's sum, re-read at every sample.
    const services = childrenOf(platform.pid).map((c, i) => ({ name: serviceName(c.pid, i), pid: c.pid, tree: false }));
    const procs = [
      ...base.processes.map((p) => ({ name: `${p.name} (process tree)`, pid: p.pid, tree: true })),
      { name: 'platform (parent: gateway, realtime)', pid: platform.pid, tree: false },
      ...services,
      { name: 'load generator (this process)', pid: process.pid, tree: false },
    ];
    const series = new Map<string, { tMin: number; mb: number }[]>(procs.map((p) => [p.name, []]));
    const started = performance.now();
    const sample = () => {
      const tMin = (performance.now() - started) / 60_000;
      const ppids = parents();
      for (const p of procs) {
        const mb = p.tree ? treeMemoryMb(p.pid, ppids) : processMemoryMb(p.pid);
        if (mb !== undefined) series.get(p.name)!.push({ tMin, mb });
      }
    };
    sample();
    const sampler = setInterval(sample, SAMPLE_S * 1000);
    const loads: number[] = [];
    const loadSampler = setInterval(() => loads.push(loadavg()[0]!), 10_000);

    const timeScale = MINUTES / 30;
    const runs = await Promise.allSettled(
      SCENARIOS.map((scenario) => runScenario({ scenario, engine: 'node', profile: 'soak', timeScale, stack: state, outDir: join(work, scenario) })),
    );
    clearInterval(sampler);
    clearInterval(loadSampler);
    sample();

    const la = loads.length ? `min ${fmt(Math.min(...loads), 2)}, max ${fmt(Math.max(...loads), 2)}` : 'not sampled';
    console.log(`\nload (1-min load average during the run: ${la}; now ${load()}):`);
    let errors = 0;
    runs.forEach((r, i) => {
      if (r.status === 'rejected') {
        errors++;
        console.log(`  ${SCENARIOS[i]!.padEnd(13)} FAILED: ${(r.reason as Error).message}`);
        return;
      }
      const s: RunSummary = r.value;
      errors += s.totals.errors;
      console.log(`  ${SCENARIOS[i]!.padEnd(13)} ${s.totals.requests} requests, ${s.totals.errors} errors, ${s.totals.ratePerSec}/s, p99 ${s.totals.latencyMs.p99} ms${s.notes.length ? `; ${s.notes.join('; ')}` : ''}`);
      // Where the errors came from: HTTP answers other than 2xx per endpoint, and chat sends not acknowledged, by reason.
      const why = [
        ...s.endpoints.flatMap((e) => Object.entries(e.statusCounts).filter(([c]) => !c.startsWith('2')).map(([c, n]) => `${e.name} ${c}: ${n}`)),
        ...Object.entries(s.counters).filter(([k]) => k.startsWith('chat_nack_')).map(([k, n]) => `${k.slice('chat_nack_'.length)}: ${n}`),
      ];
      if (why.length) console.log(`                errors by kind: ${why.join(', ')}`);
    });

    console.log(`\nmemory (PSS) per process (slope and noise over the second half of the run):`);
    console.log(`  ${'process'.padEnd(34)} ${'start MB'.padStart(9)} ${'end MB'.padStart(8)} ${'slope MB/10min'.padStart(15)} ${'noise MB'.padStart(9)}  verdict`);
    let growing = 0;
    for (const [name, points] of series) {
      if (points.length < 2) continue;
      const half = points.filter((p) => p.tMin >= points.at(-1)!.tMin / 2);
      const { slopePerMin, noiseMb } = fitLine(half);
      const halfSpanMin = half.length > 1 ? half.at(-1)!.tMin - half[0]!.tMin : 0;
      const growthOverHalf = slopePerMin * halfSpanMin;
      const flat = growthOverHalf <= Math.max(2 * noiseMb, 1);
      if (!flat) growing++;
      console.log(`  ${name.padEnd(34)} ${fmt(points[0]!.mb).padStart(9)} ${fmt(points.at(-1)!.mb).padStart(8)} ${fmt(slopePerMin * 10, 2).padStart(15)} ${fmt(noiseMb, 2).padStart(9)}  ${flat ? 'flat' : `GROWS ${fmt(growthOverHalf)} MB over ${fmt(halfSpanMin)} min`}`);
    }
    console.log(`\nerrors: ${errors}; processes growing beyond noise: ${growing} of ${series.size}; ${MINUTES} min soak${MINUTES < 30 ? ' (shortened with SOAK_MINUTES: a slope over a few minutes says little about a leak)' : ''}`);
    await stopPlatformProcess(state);
  } finally {
    await db.drop().catch(() => undefined);
    if (existsSync(work)) rmSync(work, { recursive: true, force: true });
    if (ownStack) await stopStack(base);
  }
}

await main();
