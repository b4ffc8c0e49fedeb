import { describe, expect, it } from 'vitest';
import { CHAOS_PROFILES } from '../descriptor.ts';
import { EXPERIMENTS } from './index.ts';

describe("the experiments' timing tables", () => {
  it('declare every profile, with the after window inside the recovery and smoke no longer than load', () => {
    for (const x of EXPERIMENTS.all()) {
      for (const profile of CHAOS_PROFILES) {
        const t = x.timing[profile];
        expect(Math.min(t.steadyMs, t.methodMs, t.recoverMs, t.afterMs), `${x.id} ${profile}`).toBeGreaterThan(0);
        expect(t.afterMs, `${x.id} ${profile}`).toBeLessThanOrEqual(t.recoverMs);
      }
      const { smoke, load } = x.timing;
      expect(smoke.steadyMs + smoke.methodMs + smoke.recoverMs, x.id).toBeLessThanOrEqual(load.steadyMs + load.methodMs + load.recoverMs);
    }
  });

  it('keeps the smoke durations the experiments were calibrated with (5 s of steady state; db-latency 25 s of method)', () => {
    for (const x of EXPERIMENTS.all()) expect(x.timing.smoke.steadyMs, x.id).toBe(5_000);
    expect(EXPERIMENTS.get('db-latency').timing.smoke).toEqual({ steadyMs: 5_000, methodMs: 25_000, recoverMs: 40_000, afterMs: 5_000 });
  });
});
