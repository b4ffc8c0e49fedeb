import { describe, expect, it } from 'vitest';
import { computeSlis, inWindow, timeSeries, timeToDetectMs, timeToRecoverMs, type Sample } from './slis.ts';

const ok = (tMs: number, latencyMs = 10): Sample => ({ tMs, latencyMs, ok: true, status: 200 });
const fail = (tMs: number, latencyMs: number, status: number | string = 503): Sample => ({ tMs, latencyMs, ok: false, status });

describe('SLIs of a window', () => {
  it('counts errors, separates failed from successful latencies and counts calls with no answer', () => {
    const slis = computeSlis([ok(0, 10), ok(100, 20), fail(200, 2), fail(300, 5000, 'timeout')]);
    expect(slis).toMatchObject({ requests: 4, errors: 2, errorRate: 0.5, noResponse: 1, status503: 1, maxMs: 5000 });
    expect(slis.okP99Ms).toBeCloseTo(20, 1);
    expect(slis.failedP99Ms).toBeCloseTo(5000, -1);
  });

  it('gives zeros for an empty window', () => {
    expect(computeSlis([])).toMatchObject({ requests: 0, errorRate: 0, p99Ms: 0, failedP99Ms: 0 });
  });

  it('selects samples by the time they were sent', () => {
    expect(inWindow([ok(999), ok(1000), ok(1999), ok(2000)], { startMs: 1000, endMs: 2000 }).map((s) => s.tMs)).toEqual([1000, 1999]);
  });

  it('builds one time-series point per second, including empty seconds', () => {
    const ts = timeSeries([ok(100), ok(200), fail(2500, 3)]);
    expect(ts.map((p) => [p.tMs, p.requests, p.errors])).toEqual([[0, 2, 0], [1000, 0, 0], [2000, 1, 1]]);
  });
});

describe('time to detect', () => {
  it('is the time from the fault start to the first failure coming back', () => {
    const samples = [ok(0), ok(900), fail(1100, 50), fail(1200, 1)];
    expect(timeToDetectMs(samples, 1000, 3000, 500)).toBe(150);
  });

  it('sees a slow call when it crosses the slow threshold, not when it ends', () => {
    expect(timeToDetectMs([ok(0), ok(1200, 4000)], 1000, 3000, 500)).toBe(700);
  });

  it('is undefined when the fault had no visible effect', () => {
    expect(timeToDetectMs([ok(0), ok(1500), ok(2500)], 1000, 3000, 500)).toBeUndefined();
  });
});

describe('time to recover', () => {
  it('is the time from the fault stop to the first good call after the last bad one', () => {
    const samples = [fail(2900, 1), fail(3100, 1), fail(3400, 1), ok(3600), ok(4000), ok(4400), ok(4800)];
    expect(timeToRecoverMs(samples, 3000, 500, 1000, 3)).toBe(600);
  });

  it('is 0 when nothing was bad after the stop', () => {
    expect(timeToRecoverMs([fail(2900, 10), ok(3100), ok(3600), ok(4200)], 3000, 500, 1000, 3)).toBe(0);
  });

  it('counts a call sent during the fault that fails after the stop', () => {
    expect(timeToRecoverMs([fail(2500, 1000), ok(3100), ok(3600), ok(4000), ok(4700)], 3000, 500, 1000, 3)).toBe(600);
  });

  it('is undefined when the good run after the last failure is not stable long enough', () => {
    expect(timeToRecoverMs([fail(3100, 1), ok(3600), ok(3700), ok(3800), fail(4000, 1), ok(4100)], 3000, 500, 1000, 3)).toBeUndefined();
  });
});

describe('fast failure SLIs', () => {
  it('measures open-breaker answers apart and the share of failures that say why', () => {
    const samples: Sample[] = [
      { tMs: 0, latencyMs: 2, ok: false, status: 503, reason: 'CIRCUIT_OPEN' },
      { tMs: 1, latencyMs: 4, ok: false, status: 503, reason: 'CIRCUIT_OPEN' },
      { tMs: 2, latencyMs: 5000, ok: false, status: 504, reason: 'TIMEOUT' },
      { tMs: 3, latencyMs: 30000, ok: false, status: 'timeout' },
    ];
    const slis = computeSlis(samples);
    expect(slis.circuitOpen).toBe(2);
    expect(slis.circuitOpenP50Ms).toBeCloseTo(2, 1);
    expect(slis.circuitOpenP99Ms).toBeCloseTo(4, 1);
    expect(slis.failedWithReason).toBe(0.75);
    expect(slis.noResponse).toBe(1);
  });
});
