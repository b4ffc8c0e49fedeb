/**
 * The bottleneck-attribution sampler: while a run goes, once per interval, it reads each stack
 * process tree's CPU and memory (/proc), each Node process's event-loop lag and utilisation (GET
 * /health/loop on the gateway and the services, one URL per process), PgBouncer's SHOW POOLS
 * (clients waiting for a server connection) and, at the start and the end, the gateway's per-hop
 * time sums (GET /health/hops). stop() returns the Attribution for the run summary.
 * Everything is best effort: a probe that fails leaves a gap and a note, never fails the run.
 */
import { cpus as osCpus } from 'node:os';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { request } from 'undici';
import type { Attribution, ComponentSeries, HopTiming, PoolWaitSample } from '../../core/index.ts';
import type { StackState } from '../../stack/index.ts';
import { HAS_PROC, readAllProcs, readWithPidusage, treeOf, type ProcTimes } from './proc-stat.ts';
import { findSaturation, topConsumer } from './saturation.ts';

export interface AttributionOptions {
  intervalMs?: number;
  /** Processes outside the stack to name (the load generator: this process by default). */
  extraProcesses?: { name: string; pid: number }[];
}

export interface AttributionSampler {
  stop(): Promise<Attribution>;
}

interface LoopBody {
  pid: number;
  roles: string[];
  lagP99Ms: number;
  utilization: number;
}

export interface HopSums {
  [service: string]: { requests: number; totalMs: number; gatewayMs: number; transitMs: number; serviceMs: number; dbMs: number };
}

const OTHER = 'other (outside the stack)';

async function getJson<T>(url: string, timeoutMs = 800): Promise<T | undefined> {
  try {
    const res = await request(url, { headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
    if (res.statusCode !== 200) {
      await res.body.dump();
      return undefined;
    }
    return (await res.body.json()) as T;
  } catch {
    return undefined;
  }
}

/** Machine-wide busy CPU time in ms (all cores), from the first line of /proc/stat. */
function machineBusyMs(): number | undefined {
  if (!HAS_PROC) return undefined;
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal
  const busy = f[0]! + f[1]! + f[2]! + f[5]! + f[6]! + f[7]!;
  return (busy * 1000) / 100;
}

/** Pids of gateway cluster workers under the platform process (Linux; none elsewhere). */
function gatewayWorkersOf(platformPid: number): number[] {
  if (!HAS_PROC) return [];
  const procs = readAllProcs();
  return treeOf(platformPid, procs)
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('gateway/cluster-worker.ts');
      } catch {
        return false;
      }
    })
    .sort((a, b) => a - b);
}

function pgbouncerAdminUrl(state: StackState): string | undefined {
  try {
    const u = new URL(state.urls.pgbouncer);
    u.pathname = '/pgbouncer';
    return u.href;
  } catch {
    return undefined;
  }
}

/** The gateway's cumulative per-hop sums (all its instances), or undefined when it has none. */
export async function readHopSums(gatewayUrl: string): Promise<HopSums | undefined> {
  return getJson<HopSums>(`${gatewayUrl}/health/hops`, 2_000);
}

export function hopTimings(before: HopSums | undefined, after: HopSums | undefined): HopTiming[] {
  if (!after) return [];
  const out: HopTiming[] = [];
  for (const [service, a] of Object.entries(after)) {
    const b = before?.[service] ?? { requests: 0, totalMs: 0, gatewayMs: 0, transitMs: 0, serviceMs: 0, dbMs: 0 };
    const n = a.requests - b.requests;
    if (n <= 0) continue;
    const per = (k: keyof typeof a) => (a[k] - b[k]) / n;
    out.push({ service, requests: n, totalMeanMs: per('totalMs'), gatewayMeanMs: per('gatewayMs'), transitMeanMs: per('transitMs'), serviceMeanMs: per('serviceMs'), dbMeanMs: per('dbMs') });
  }
  return out.sort((x, y) => y.requests * y.totalMeanMs - x.requests * x.totalMeanMs);
}

export async function startAttribution(state: StackState, opts: AttributionOptions = {}): Promise<AttributionSampler> {
  const intervalMs = opts.intervalMs ?? 1_000;
  const cpus = osCpus().length;
  const notes: string[] = [];
  const t0 = performance.now();
  const services = state.platform?.services ?? {};
  const gatewayUrl = services.gateway;

  // Which Node process is which: one /health/loop URL per pid (a one-process platform answers
  // the same pid on every URL; reading it once per interval keeps its lag figures whole).
  const loopUrlByPid = new Map<number, { url: string; roles: string[] }>();
  await Promise.all(
    Object.entries(services).map(async ([name, url]) => {
      const body = await getJson<LoopBody>(`${url}/health/loop`);
      if (!body) return;
      const known = loopUrlByPid.get(body.pid);
      if (known) known.roles.push(name);
      else loopUrlByPid.set(body.pid, { url, roles: [name] });
    }),
  );
  if (loopUrlByPid.size === 0 && Object.keys(services).length > 0) notes.push('no Node process answered /health/loop: event-loop lag not sampled');

  // Gateway cluster workers (`--gateway-instances N`) share one port: found by their entry file
  // among the platform's descendants, and their loops read by asking the shared port several times.
  const platformPid = state.processes.find((p) => p.name === 'platform')?.pid ?? state.platform?.pid;
  const workers = platformPid ? gatewayWorkersOf(platformPid) : [];
  const named: { name: string; pid: number }[] = [
    ...state.processes.filter((p) => p.name !== 'platform'),
    ...workers.map((pid, i) => ({ name: `gateway-${i + 1}`, pid })),
    ...[...loopUrlByPid].map(([pid, v]) => ({ name: v.roles.length > 3 ? 'platform (all services)' : v.roles.join('+'), pid })),
    ...state.processes.filter((p) => p.name === 'platform'),
    ...(opts.extraProcesses ?? [{ name: 'load-generator', pid: process.pid }]),
  ];
  const series = new Map<string, ComponentSeries>();
  for (const n of named) if (!series.has(n.name)) series.set(n.name, { component: n.name, pids: [], samples: [], cpuMeanCores: 0, cpuMaxCores: 0, rssMaxMb: 0 });
  series.set(OTHER, { component: OTHER, pids: [], samples: [], cpuMeanCores: 0, cpuMaxCores: 0, rssMaxMb: 0 });
  if (!HAS_PROC) notes.push('no /proc: CPU per component read with pidusage for the top process only (no process trees)');

  const pgbUrl = pgbouncerAdminUrl(state);
  let pgb: pg.Client | undefined;
  if (pgbUrl && state.processes.some((p) => p.name === 'pgbouncer')) {
    pgb = new pg.Client({ connectionString: pgbUrl, connectionTimeoutMillis: 2_000 });
    pgb.on('error', () => undefined);
    await pgb.connect().catch((e: Error) => {
      notes.push(`PgBouncer SHOW POOLS not sampled: ${e.message}`);
      pgb = undefined;
    });
  }
  const pools: PoolWaitSample[] = [];
  const hopsBefore = gatewayUrl ? await readHopSums(gatewayUrl) : undefined;

  let lastCpu = new Map<string, number>();
  let lastMachineMs = machineBusyMs();
  let lastAt = performance.now();
  const machineBusyCores: number[] = [];

  async function readCpu(): Promise<Map<string, { cpuMs: number; rssBytes: number; pids: number[] }>> {
    const procs: Map<number, ProcTimes> = HAS_PROC ? readAllProcs() : await readWithPidusage(named.map((n) => n.pid));
    const claimed = new Set<number>();
    const out = new Map<string, { cpuMs: number; rssBytes: number; pids: number[] }>();
    // Most specific first: a service child's pid is claimed before the platform's tree takes the rest.
    for (const n of named) {
      const tree = HAS_PROC ? treeOf(n.pid, procs) : procs.has(n.pid) ? [n.pid] : [];
      const mine = tree.filter((p) => !claimed.has(p));
      mine.forEach((p) => claimed.add(p));
      const acc = out.get(n.name) ?? { cpuMs: 0, rssBytes: 0, pids: [] };
      for (const p of mine) {
        acc.cpuMs += procs.get(p)!.cpuMs;
        acc.rssBytes += procs.get(p)!.rssBytes;
        acc.pids.push(p);
      }
      out.set(n.name, acc);
    }
    return out;
  }

  lastCpu = new Map([...(await readCpu())].map(([k, v]) => [k, v.cpuMs]));

  async function sample(): Promise<void> {
    const now = performance.now();
    const dtMs = now - lastAt;
    if (dtMs < 50) return;
    // Read at the same instant as `now` (before any await), so the interval matches dtMs.
    const machineMs = machineBusyMs();
    const tMs = Math.round(now - t0);
    const [cpu, loops, pool] = await Promise.all([
      readCpu(),
      Promise.all(
        [...new Set([...loopUrlByPid.values()].map((v) => v.url))].flatMap((url) =>
          Array.from({ length: url === gatewayUrl ? Math.max(1, workers.length * 2) : 1 }, () => getJson<LoopBody>(`${url}/health/loop`)),
        ),
      ),
      pgb ? pgb.query('SHOW POOLS').then((r) => r.rows as Record<string, string>[]).catch(() => undefined) : Promise.resolve(undefined),
    ]);
    const loopByPid = new Map(loops.filter((b): b is LoopBody => b !== undefined).map((b) => [b.pid, b] as const));
    let stackCores = 0;
    for (const [name, v] of cpu) {
      const s = series.get(name)!;
      const prev = lastCpu.get(name);
      // A tree that lost processes (a backend ended) can show less CPU time than before: clamp at 0.
      const cores = prev === undefined ? 0 : Math.max(0, v.cpuMs - prev) / dtMs;
      lastCpu.set(name, v.cpuMs);
      stackCores += cores;
      s.pids = [...new Set([...s.pids, ...v.pids])].slice(0, 64);
      const loop = v.pids.map((p) => loopByPid.get(p)).find((l) => l !== undefined);
      s.samples.push({ tMs, cpuCores: round(cores), rssMb: round(v.rssBytes / 1048576, 1), ...(loop ? { loopLagP99Ms: round(loop.lagP99Ms), loopUtilization: round(loop.utilization, 3) } : {}) });
    }
    if (machineMs !== undefined && lastMachineMs !== undefined) {
      const busy = Math.max(0, machineMs - lastMachineMs) / dtMs;
      machineBusyCores.push(busy);
      series.get(OTHER)!.samples.push({ tMs, cpuCores: round(Math.max(0, busy - stackCores)), rssMb: 0 });
    }
    lastMachineMs = machineMs;
    lastAt = now;
    const row = pool?.find((r) => r.database === state.database) ?? pool?.find((r) => r.database !== 'pgbouncer');
    if (row) {
      pools.push({
        tMs,
        clientsActive: Number(row.cl_active ?? 0),
        clientsWaiting: Number(row.cl_waiting ?? 0),
        serversActive: Number(row.sv_active ?? 0),
        serversIdle: Number(row.sv_idle ?? 0),
        maxWaitMs: Number(row.maxwait ?? 0) * 1000 + Number(row.maxwait_us ?? 0) / 1000,
      });
    }
  }

  let running: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    running = running.then(sample).catch((e: Error) => void notes.push(`a sample failed: ${e.message}`));
  }, intervalMs);

  return {
    async stop() {
      clearInterval(timer);
      await running;
      await sample().catch(() => undefined);
      const hopsAfter = gatewayUrl ? await readHopSums(gatewayUrl) : undefined;
      await pgb?.end().catch(() => undefined);
      const components = [...series.values()].filter((s) => s.samples.length > 0 && (s.pids.length > 0 || s.component === OTHER));
      for (const c of components) {
        const cores = c.samples.map((s) => s.cpuCores);
        c.cpuMeanCores = round(cores.reduce((a, b) => a + b, 0) / cores.length);
        c.cpuMaxCores = round(Math.max(...cores));
        c.rssMaxMb = round(Math.max(...c.samples.map((s) => s.rssMb)), 1);
        const lags = c.samples.map((s) => s.loopLagP99Ms).filter((x): x is number => x !== undefined);
        if (lags.length > 0) c.loopLagP99MaxMs = round(Math.max(...lags));
      }
      components.sort((a, b) => b.cpuMeanCores - a.cpuMeanCores);
      const hops = hopTimings(hopsBefore, hopsAfter);
      if (gatewayUrl && !hopsAfter) notes.push('the gateway has no /health/hops: per-hop time not sampled');
      const top = topConsumer(components, cpus);
      return {
        intervalMs,
        cpus,
        components,
        pgbouncer: pools,
        hops,
        saturated: findSaturation({ cpus, components, pgbouncer: pools, machineBusyCores }),
        ...(top ? { topConsumer: top } : {}),
        notes,
      };
    },
  };
}

function round(n: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
