/**
 * CPU time of a process tree from /proc (Linux): the per-request CPU cost behind the model
 * estimates of claims one machine cannot reach (issue 13 item 2: estimates from measured per-core
 * figures, never from a rate the load plan capped).
 */
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_S = 100;

interface Stat {
  pid: number;
  ppid: number;
  cpuMs: number;
}

function readStat(pid: number): Stat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may contain spaces: fields are counted after its closing parenthesis.
    const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
    const ppid = Number(rest[1]);
    const utime = Number(rest[11]);
    const stime = Number(rest[12]);
    return { pid, ppid, cpuMs: ((utime + stime) * 1000) / TICKS_PER_S };
  } catch {
    return undefined;
  }
}

/** `root` and every descendant still running (undefined when `root` has gone). */
function tree(root: number): Stat[] | undefined {
  const all = readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map((d) => readStat(Number(d))).filter((s): s is Stat => !!s);
  const byParent = new Map<number, Stat[]>();
  for (const s of all) byParent.set(s.ppid, [...(byParent.get(s.ppid) ?? []), s]);
  const top = all.find((s) => s.pid === root);
  if (!top) return undefined;
  const out: Stat[] = [];
  const stack = [top];
  while (stack.length) {
    const s = stack.pop()!;
    out.push(s);
    stack.push(...(byParent.get(s.pid) ?? []));
  }
  return out;
}

/** User + system CPU time (ms) of `root` and every descendant still running. */
export function treeCpuMs(root: number): number | undefined {
  return tree(root)?.reduce((a, s) => a + s.cpuMs, 0);
}

/** Resident memory (MB) of `root` and every descendant still running. */
export function treeRssMb(root: number): number | undefined {
  const procs = tree(root);
  if (!procs) return undefined;
  let kb = 0;
  for (const p of procs) {
    try {
      kb += Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${p.pid}/status`, 'utf8'))?.[1] ?? 0);
    } catch {
      // gone between the scan and this read: it holds no memory any more
    }
  }
  return kb / 1024;
}

/** Least-squares slope of y over x (undefined for fewer than 3 points or no spread in x). */
export function slope(points: readonly { x: number; y: number }[]): number | undefined {
  if (points.length < 3) return undefined;
  const mx = points.reduce((a, p) => a + p.x, 0) / points.length;
  const my = points.reduce((a, p) => a + p.y, 0) / points.length;
  let sxy = 0;
  let sxx = 0;
  for (const p of points) {
    sxy += (p.x - mx) * (p.y - my);
    sxx += (p.x - mx) ** 2;
  }
  return sxx > 0 ? sxy / sxx : undefined;
}
