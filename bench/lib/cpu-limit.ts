/**
 * A CPU limit for a set of process trees through a cgroup v1 CPU quota (Linux, root): the stack's
 * processes go into /sys/fs/cgroup/cpu/<name> with cpu.cfs_quota_us = cores x the period, and
 * everything they fork later (Postgres backends, split services) inherits it. The load generator
 * stays outside. release() moves every task back to the root group and removes the group.
 */
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readAllProcs, treeOf } from '../../scenarios/index.ts';

const ROOT = '/sys/fs/cgroup/cpu';
const PERIOD_US = 100_000;

export function cgroupCpuAvailable(): boolean {
  return existsSync(join(ROOT, 'cpu.cfs_quota_us')) && existsSync(join(ROOT, 'cgroup.procs'));
}

export class CpuLimit {
  private constructor(readonly dir: string) {}

  /** Creates the group and moves the trees of `rootPids` into it (no limit until set()). */
  static create(name: string, rootPids: readonly number[]): CpuLimit {
    if (!cgroupCpuAvailable()) throw new Error(`no cgroup v1 CPU controller at ${ROOT}: CPU limits need Linux with cgroup v1 and root`);
    const dir = join(ROOT, name);
    mkdirSync(dir, { recursive: true });
    const limit = new CpuLimit(dir);
    limit.adopt(rootPids);
    return limit;
  }

  /** Moves these process trees (again: processes started since) into the group. */
  adopt(rootPids: readonly number[]): number {
    const procs = readAllProcs();
    let n = 0;
    for (const root of rootPids) {
      for (const pid of treeOf(root, procs)) {
        try {
          writeFileSync(join(this.dir, 'cgroup.procs'), String(pid));
          n++;
        } catch {
          /* exited meanwhile */
        }
      }
    }
    return n;
  }

  /** Limits the group to `cores` CPUs' worth of time (Infinity: no limit). */
  set(cores: number): void {
    writeFileSync(join(this.dir, 'cpu.cfs_period_us'), String(PERIOD_US));
    writeFileSync(join(this.dir, 'cpu.cfs_quota_us'), Number.isFinite(cores) ? String(Math.round(cores * PERIOD_US)) : '-1');
  }

  /** Periods in which the group was throttled, and for how long in total (ms). */
  throttling(): { periods: number; throttled: number; throttledMs: number } {
    const s = Object.fromEntries(readFileSync(join(this.dir, 'cpu.stat'), 'utf8').trim().split('\n').map((l) => l.split(' ') as [string, string]));
    return { periods: Number(s.nr_periods ?? 0), throttled: Number(s.nr_throttled ?? 0), throttledMs: Number(s.throttled_time ?? 0) / 1e6 };
  }

  release(): void {
    try {
      writeFileSync(join(this.dir, 'cpu.cfs_quota_us'), '-1');
      for (const pid of readFileSync(join(this.dir, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean)) {
        try {
          writeFileSync(join(ROOT, 'cgroup.procs'), pid);
        } catch {
          /* exited */
        }
      }
      rmdirSync(this.dir);
    } catch {
      /* already gone */
    }
  }
}
