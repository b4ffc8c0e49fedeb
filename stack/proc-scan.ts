/**
 * Finds processes that belong to a stack directory by what they inherited from us: a working
 * directory inside it, or an environment naming it. This catches what pids alone miss: RabbitMQ's
 * epmd daemon (started by the Erlang VM outside its process group) and components whose start was
 * interrupted before their pid was recorded. Linux only (/proc); elsewhere it finds nothing.
 */
import { existsSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';

function pids(): number[] {
  if (!existsSync('/proc')) return [];
  return readdirSync('/proc')
    .filter((n) => /^\d+$/.test(n))
    .map(Number)
    .filter((p) => p !== process.pid);
}

export function processesOf(dir: string): { name: string; pid: number }[] {
  const out: { name: string; pid: number }[] = [];
  for (const pid of pids()) {
    try {
      const cwd = readlinkSync(`/proc/${pid}/cwd`);
      const environ = readFileSync(`/proc/${pid}/environ`, 'utf8');
      if (cwd.startsWith(dir) || environ.includes(dir)) {
        const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0] ?? '';
        out.push({ name: cmd.split('/').pop() || 'unknown', pid });
      }
    } catch {
      /* gone, or not ours to read */
    }
  }
  return out;
}
