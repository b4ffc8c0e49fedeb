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

/** User + system CPU time (ms) of `root` and every descendant still running. */
export function treeCpuMs(root: number): number | undefined {
  const all = readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map((d) => readStat(Number(d))).filter((s): s is Stat => !!s);
  const byParent = new Map<number, Stat[]>();
  for (const s of all) byParent.set(s.ppid, [...(byParent.get(s.ppid) ?? []), s]);
  const top = all.find((s) => s.pid === root);
  if (!top) return undefined;
  let total = 0;
  const stack = [top];
  while (stack.length) {
    const s = stack.pop()!;
    total += s.cpuMs;
    stack.push(...(byParent.get(s.pid) ?? []));
  }
  return total;
}
