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

/**
 * Memory in MB of one process (undefined once it has gone): its PSS (proportional set size), which
 * charges a shared page to the processes sharing it in equal parts. Summed over a process tree, RSS
 * counts a shared page once per process that touched it: Postgres's shared buffers made its tree's
 * summed RSS climb 204 -> 2,819 MB in a 30-min soak. Falls back to VmRSS without smaps_rollup.
 */
export function processMemoryMb(pid: number): number | undefined {
  try {
    const pss = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
    if (pss) return Number(pss[1]) / 1024;
  } catch {
    // no smaps_rollup (kernel < 4.14) or the process has gone: try status
  }
  try {
    const rss = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return rss ? Number(rss[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Memory (PSS, MB) of `root` and every descendant still running. */
export function treeMemoryMb(root: number): number | undefined {
  return tree(root)?.reduce((a, p) => a + (processMemoryMb(p.pid) ?? 0), 0);
}
