import { describe, expect, it } from 'vitest';
import { HAS_PROC, parseStat, readAllProcs, treeOf, type ProcTimes } from './proc-stat.ts';

describe('parseStat', () => {
  it('reads CPU time and RSS past a command with spaces and parentheses', () => {
    const line = '4242 (node (worker) x) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 11 0 1000 123456789 2048 18446744073709551615';
    expect(parseStat(line)).toEqual({ pid: 4242, ppid: 1, comm: 'node (worker) x', cpuMs: 3000, rssBytes: 2048 * 4096 });
  });
});

describe('treeOf', () => {
  it('collects a process and all its descendants, not its siblings', () => {
    const p = (pid: number, ppid: number): [number, ProcTimes] => [pid, { pid, ppid, cpuMs: 0, rssBytes: 0, comm: '' }];
    const procs = new Map([p(1, 0), p(10, 1), p(11, 10), p(12, 10), p(20, 1), p(13, 11)]);
    expect(treeOf(10, procs).sort((a, b) => a - b)).toEqual([10, 11, 12, 13]);
    expect(treeOf(99, procs)).toEqual([]);
  });

  it.runIf(HAS_PROC)('finds this process on a Linux machine', () => {
    const all = readAllProcs();
    expect(all.get(process.pid)?.ppid).toBe(process.ppid);
  });
});
