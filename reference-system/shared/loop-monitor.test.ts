import { describe, expect, it } from 'vitest';
import { monitorLoop, readLoop } from './loop-monitor.ts';

describe('the event-loop monitor', () => {
  it('reports this process, its roles, and a busy loop as busy', async () => {
    monitorLoop('posts');
    monitorLoop('users');
    readLoop();
    // Keep the loop busy for most of 300 ms, in slices, so the delay histogram sees it too.
    const until = performance.now() + 300;
    while (performance.now() < until) {
      const slice = performance.now() + 40;
      while (performance.now() < slice) {
        /* spin */
      }
      await new Promise((r) => setImmediate(r));
    }
    const r = readLoop();
    expect(r.pid).toBe(process.pid);
    expect(r.roles).toEqual(expect.arrayContaining(['posts', 'users']));
    expect(r.utilization).toBeGreaterThan(0.5);
    expect(r.intervalMs).toBeGreaterThanOrEqual(290);
  });
});
