import { describe, expect, it } from 'vitest';
import { InflightWork } from './inflight.ts';

const later = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

describe('in-flight work', () => {
  it('forgets work once it settles', async () => {
    const w = new InflightWork();
    const p = later(5);
    w.track(p);
    expect(w.size).toBe(1);
    await p;
    await later(0);
    expect(w.size).toBe(0);
  });

  it('drain waits for tracked work', async () => {
    const w = new InflightWork();
    let finished = false;
    w.track(later(20).then(() => void (finished = true)));
    await w.drain();
    expect(finished).toBe(true);
  });

  it('a bounded drain gives up after its bound', async () => {
    const w = new InflightWork();
    w.track(new Promise(() => undefined)); // never settles
    const t0 = performance.now();
    await w.drain(30);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(25);
    expect(w.size).toBe(1);
  });
});
