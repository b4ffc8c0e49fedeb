/**
 * CPU time and resident memory of process trees, read from /proc: a component is a process and
 * all its descendants (Postgres forks a backend per connection, RabbitMQ runs epmd beside the VM),
 * so its CPU is the sum over the tree at each read. Elsewhere than Linux, pidusage reads the top
 * process only (trees are not available there).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import pidusage from 'pidusage';

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ, 100 on every Linux we run on). */
const TICKS_PER_S = 100;
const PAGE_BYTES = 4096;

export interface ProcTimes {
  pid: number;
  ppid: number;
  /** user + system CPU in ms since the process started. */
  cpuMs: number;
  rssBytes: number;
  comm: string;
}

export const HAS_PROC = existsSync('/proc/self/stat');

/** Parses one /proc/<pid>/stat line (the command may hold spaces and parentheses). */
export function parseStat(line: string, statm?: string): Omit<ProcTimes, 'pid'> & { pid: number } {
  const open = line.indexOf('(');
  const close = line.lastIndexOf(')');
  const pid = Number(line.slice(0, open).trim());
  const comm = line.slice(open + 1, close);
  const f = line.slice(close + 2).split(' ');
  // After the command: state(0) ppid(1) ... utime(11) stime(12) ... rss(21)
  const ppid = Number(f[1]);
  const cpuMs = ((Number(f[11]) + Number(f[12])) * 1000) / TICKS_PER_S;
  const rssPages = statm ? Number(statm.split(' ')[1]) : Number(f[21]);
  return { pid, ppid, cpuMs, rssBytes: rssPages * PAGE_BYTES, comm };
}

/** Every process on the machine, once (one directory listing per sample). */
export function readAllProcs(): Map<number, ProcTimes> {
  const out = new Map<number, ProcTimes>();
  if (!HAS_PROC) return out;
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const p = parseStat(readFileSync(`/proc/${name}/stat`, 'utf8'));
      out.set(p.pid, p);
    } catch {
      /* exited between the listing and the read */
    }
  }
  return out;
}

/** The pid and every descendant of it in `procs`. */
export function treeOf(root: number, procs: Map<number, ProcTimes>): number[] {
  const children = new Map<number, number[]>();
  for (const p of procs.values()) (children.get(p.ppid) ?? children.set(p.ppid, []).get(p.ppid)!).push(p.pid);
  const out: number[] = [];
  const stack = [root];
  while (stack.length > 0) {
    const pid = stack.pop()!;
    if (!procs.has(pid)) continue;
    out.push(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  return out;
}

/** Fallback where /proc is missing: the process itself, through pidusage. */
export async function readWithPidusage(pids: number[]): Promise<Map<number, ProcTimes>> {
  const out = new Map<number, ProcTimes>();
  if (pids.length === 0) return out;
  const stats = await pidusage(pids).catch(() => ({}) as Record<string, pidusage.Status>);
  for (const [pid, s] of Object.entries(stats)) out.set(Number(pid), { pid: Number(pid), ppid: s.ppid, cpuMs: s.ctime, rssBytes: s.memory, comm: '' });
  return out;
}
