/**
 * npm run bench:seed — how fast `brink seed` loads data on this machine (goal: 1M posts in under
 * 20 s). Seeds one scale (SCALE, default medium) into a fresh database and prints, per table, rows
 * and rows/s, then the key/index rebuild and ANALYZE times, and the CPU seconds spent by this
 * process (generation) and by the Postgres backend (COPY, index builds): on a shared 2-core box
 * the CPU figures say what the wall-clock ones would be without the neighbours.
 * Target: DATABASE_URL if set (must be loopback), else a fresh database "bench_seed" on the
 * running stack (`brink stack up`), else a local stack started and stopped here. Knobs (env):
 * SCALE (small|medium|large), SEED (1).
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { isLoopbackHost } from '../core/index.ts';
import { parseScale, seed, type SeedEvent } from '../reference-system/index.ts';
import { createDatabase, readStackStateFile, startStack, stopStack, type StackState } from '../stack/index.ts';

const scale = parseScale(process.env.SCALE ?? 'medium');
const seedValue = Number(process.env.SEED ?? '1');
const CLOCK_TICKS_PER_SEC = 100;

/** utime + stime of a local process in seconds, or undefined if it is not on this host. */
function processCpuSec(pid: number): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SEC;
  } catch {
    return undefined;
  }
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function target(): Promise<{ url: string; cleanup: () => Promise<void> }> {
  if (process.env.DATABASE_URL) {
    const host = new URL(process.env.DATABASE_URL).hostname;
    if (host !== '' && !isLoopbackHost(host)) throw new Error(`DATABASE_URL host ${host} is not loopback`);
    return { url: process.env.DATABASE_URL, cleanup: async () => {} };
  }
  let state: StackState | undefined = readStackStateFile();
  let started = false;
  if (!state) {
    console.log('no running stack: starting a local one for this benchmark…');
    state = await startStack({ provider: 'local' });
    started = true;
  }
  const db = await createDatabase(state, 'bench_seed');
  return {
    url: db.url,
    cleanup: async () => {
      await db.drop();
      if (started) await stopStack(state!);
    },
  };
}

const { url, cleanup } = await target();
try {
  console.log(`seed bench: scale ${scale}, seed ${seedValue}, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  let backendPid: number | undefined;
  let backendCpuAtDone: number | undefined;
  const phases: string[] = [];
  const rebuilds: { name: string; ms: number }[] = [];
  const cpu0 = process.cpuUsage();
  const result = await seed(url, { scale, seed: seedValue }, (e: SeedEvent) => {
    if (e.type === 'connected') backendPid = e.backendPid;
    if (e.type === 'phase') {
      const backendCpu = backendPid === undefined ? undefined : processCpuSec(backendPid);
      phases.push(`${e.phase}@${secs(e.elapsedMs)}${backendCpu === undefined ? '' : ` (backend CPU so far ${backendCpu.toFixed(1)} s)`}`);
      // Read while the backend is still alive (the connection closes right after "done").
      if (e.phase === 'done' && backendPid !== undefined) backendCpuAtDone = processCpuSec(backendPid);
    }
    if (e.type === 'index-done') rebuilds.push({ name: e.index, ms: e.durationMs });
    if (e.type === 'table-done') console.log(`  ${e.table.padEnd(21)} ${fmt(e.rows).padStart(10)} rows  ${secs(e.durationMs).padStart(9)}  ${fmt(e.rows / (e.durationMs / 1000)).padStart(9)} rows/s`);
  });
  const cpu = process.cpuUsage(cpu0);
  const rows = result.tables.reduce((a, t) => a + t.rows, 0);
  const posts = result.tables.find((t) => t.table === 'posts')!;
  console.log(`  phases: ${phases.join(',\n          ')}`);
  console.log(`  copy ${secs(result.copyMs)}, keys+indexes ${secs(result.indexMs)} (${result.rebuiltIndexes.length} rebuilt), analyze ${secs(result.analyzeMs)}`);
  const slowest = [...rebuilds].sort((a, b) => b.ms - a.ms).slice(0, 8);
  console.log(`  slowest rebuilds: ${slowest.map((r) => `${r.name} ${secs(r.ms)}`).join(', ')}`);
  console.log(`  total ${secs(result.totalMs)} for ${fmt(rows)} rows: ${fmt(rows / (result.totalMs / 1000))} rows/s overall`);
  console.log(`  posts: ${fmt(posts.rows)} in ${secs(posts.durationMs)} = ${fmt(posts.rowsPerSec)} rows/s -> 1M posts in ${(1e6 / posts.rowsPerSec).toFixed(1)} s (goal < 20 s)`);
  console.log(`  whole seed per 1M posts: ${((result.totalMs / 1000) * (1e6 / posts.rows)).toFixed(1)} s`);
  console.log(`  CPU: generator (this process) ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s, Postgres backend ${backendCpuAtDone?.toFixed(1) ?? 'n/a'} s, wall ${secs(result.totalMs)}`);
  console.log(`  load average at end ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
} finally {
  await cleanup();
}
