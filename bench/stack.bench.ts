/**
 * npm run bench:stack — time for the local stack to come up healthy and to go down, over 3 runs;
 * the stack's total resident memory when idle; and whether any of its processes outlived `down`.
 */
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { cpus, totalmem } from 'node:os';
import { checkHealth, startStack, stopStack, processesOf } from '../stack/index.ts';

const RUNS = Number(process.env.RUNS ?? 3);

function rssKb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

console.log(`machine: ${cpus().length} x ${cpus()[0]?.model}, ${(totalmem() / 2 ** 30).toFixed(0)} GB; runs: ${RUNS}`);
const rows: { upMs: number; downMs: number; idleRssMb: number; leftover: number }[] = [];
for (let i = 0; i < RUNS; i++) {
  const t0 = performance.now();
  const state = await startStack({ provider: 'local' });
  const health = await checkHealth(state);
  const upMs = performance.now() - t0;
  if (health.some((h) => !h.healthy)) throw new Error(`unhealthy: ${JSON.stringify(health)}`);
  await sleep(5000); // let the servers settle before reading idle memory
  const procs = processesOf(state.dir);
  const idleRssMb = procs.reduce((s, p) => s + rssKb(p.pid), 0) / 1024;
  const t1 = performance.now();
  await stopStack(state);
  const downMs = performance.now() - t1;
  const leftover = processesOf(state.dir).length;
  rows.push({ upMs, downMs, idleRssMb, leftover });
  console.log(`run ${i + 1}: up ${(upMs / 1000).toFixed(1)} s, down ${(downMs / 1000).toFixed(1)} s, idle RSS ${idleRssMb.toFixed(0)} MB over ${procs.length} processes, left after down: ${leftover}`);
}
const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(`median: up ${(med(rows.map((r) => r.upMs)) / 1000).toFixed(1)} s (goal < 15 s), down ${(med(rows.map((r) => r.downMs)) / 1000).toFixed(1)} s (goal < 5 s), idle RSS ${med(rows.map((r) => r.idleRssMb)).toFixed(0)} MB (goal < 1,500 MB), processes left: ${rows.reduce((s, r) => s + r.leftover, 0)}`);
