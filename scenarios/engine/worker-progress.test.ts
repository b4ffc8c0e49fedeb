import { describe, expect, it } from 'vitest';
import { WorkerProgress, type TickMessage } from './worker-progress.ts';

const tick = (tMs: number, requests: number, p99Ms: number, soFar: number, vus?: number): TickMessage => ({
  type: 'tick', tMs, requests, errors: requests > 10 ? 1 : 0, p99Ms, ...(vus !== undefined ? { vus } : {}), requestsSoFar: soFar, errorsSoFar: 0, p99SoFarMs: p99Ms,
});

describe('progress of a run on worker threads', () => {
  it('shows a second only once every worker has closed it: sums, and the worst p99', () => {
    let now = 100;
    const p = new WorkerProgress(2, 5000, () => now);
    expect(p.add(0, tick(0, 7, 12, 7, 3))).toBeUndefined();
    now = 1350;
    expect(p.add(1, tick(0, 11, 30, 11, 2))).toEqual({
      tMs: 0, requests: 18, errors: 1, ratePerSec: 18, p50Ms: 0, p95Ms: 0, p99Ms: 30, vus: 5,
      elapsedMs: 1250, plannedMs: 5000, requestsSoFar: 18, errorsSoFar: 0, p99SoFarMs: 30,
    });
  });

  it('keeps seconds apart when workers are at different seconds, and counts each worker\'s latest totals', () => {
    const p = new WorkerProgress(2, 5000, () => 0);
    expect(p.add(0, tick(0, 5, 10, 5))).toBeUndefined();
    expect(p.add(0, tick(1000, 6, 20, 11))).toBeUndefined();
    const first = p.add(1, tick(0, 4, 15, 4));
    expect(first).toMatchObject({ tMs: 0, requests: 9, p99Ms: 15, requestsSoFar: 15 });
    expect(first).not.toHaveProperty('vus');
    expect(p.add(1, tick(1000, 3, 8, 7))).toMatchObject({ tMs: 1000, requests: 9, p99Ms: 20, requestsSoFar: 18, p99SoFarMs: 20 });
  });
});
