import { describe, expect, it } from 'vitest';
import { planFor } from './k6/lib/plans.js';
import { compileSchedule, scheduleOf } from './k6/lib/schedule.js';

describe('compiling a plan into its schedule (k6/lib/schedule.js)', () => {
  it('fills in the defaults k6 uses: startVUs 0, timeUnit 1s, maxDuration 10m, maxVUs = preAllocatedVUs', () => {
    expect(compileSchedule({ scenario: { executor: 'ramping-vus', stages: [{ duration: '10s', target: 4 }] } })).toEqual({
      executor: 'ramping-vus', open: false, durationS: 10, maxVus: 4, segments: [{ startS: 0, durationS: 10, from: 0, to: 4 }],
    });
    expect(compileSchedule({ scenario: { executor: 'constant-arrival-rate', rate: 3, duration: '2s', preAllocatedVUs: 7 } })).toEqual({
      executor: 'constant-arrival-rate', open: true, durationS: 2, maxVus: 7, segments: [{ startS: 0, durationS: 2, from: 3, to: 3 }],
    });
    expect(compileSchedule({ scenario: { executor: 'per-vu-iterations', vus: 2, iterations: 3 } })).toMatchObject({ durationS: 600, maxVus: 2, iterations: 3 });
  });

  it('states rates per second and sums staged durations', () => {
    const s = compileSchedule({ scenario: { executor: 'ramping-arrival-rate', startRate: 60, timeUnit: '1m', preAllocatedVUs: 1, maxVUs: 5, stages: [{ duration: '1m', target: 120 }, { duration: '30s', target: 0 }] } });
    expect(s.segments).toEqual([{ startS: 0, durationS: 60, from: 1, to: 2 }, { startS: 60, durationS: 30, from: 2, to: 0 }]);
    expect(s.durationS).toBe(90);
    expect(s.maxVus).toBe(5);
  });

  it("puts chat-burst's windows on the schedule, ms from the start", () => {
    const chat = { connectWindowS: 3, burstS: 6, drainS: 2, burstSize: 2, burstIntervalMs: 1000 };
    expect(compileSchedule({ scenario: { executor: 'per-vu-iterations', vus: 4, iterations: 1, maxDuration: '41s' }, chat }).chat).toEqual({ connectEndMs: 3000, burstEndMs: 9000, drainEndMs: 11000 });
  });

  it('refuses a plan it cannot run, naming what is wrong', () => {
    expect(() => compileSchedule({ scenario: { executor: 'constant-vus', vus: -1, duration: '1s' } })).toThrow('plan: vus must be a number >= 0, got -1');
    expect(() => compileSchedule({ scenario: { executor: 'ramping-vus', stages: [] } })).toThrow('plan: ramping-vus needs at least one stage');
    expect(() => compileSchedule({ scenario: { executor: 'ramping-vus', stages: [{ duration: '1s', target: Number.NaN }] } })).toThrow("plan: stage 1's target must be a number >= 0, got null");
    expect(() => compileSchedule({ scenario: { executor: 'constant-vus', vus: 1, duration: 'soon' } })).toThrow('duration "soon" is not like 30s, 2m, 1m30s');
    expect(() => compileSchedule({ scenario: { executor: 'constant-arrival-rate', rate: 1, timeUnit: '0s', duration: '1s', preAllocatedVUs: 1 } })).toThrow('plan: timeUnit "0s" must be longer than 0s');
    expect(() => compileSchedule({ scenario: { executor: 'shared-iterations' } as never })).toThrow('plan: executor "shared-iterations" is not one of');
  });

  it('planFor compiles the scaled plan once, and scheduleOf reads that schedule', () => {
    const plan = planFor('feed', 'load', 0.1);
    expect(plan.schedule).toMatchObject({ executor: 'ramping-vus', open: false, durationS: 60, maxVus: 200 });
    expect(plan.schedule!.segments.map((s) => s.durationS)).toEqual([12, 30, 12, 6]);
    expect(scheduleOf(plan)).toBe(plan.schedule);
    expect(planFor('chat-burst', 'smoke').schedule).toMatchObject({ maxVus: 4, iterations: 1, durationS: 42, chat: { connectEndMs: 3000, burstEndMs: 9000, drainEndMs: 12000 } });
  });
});
