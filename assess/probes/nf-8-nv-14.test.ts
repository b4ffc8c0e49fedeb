/**
 * NF-8 and NV-14's verdict functions on literal measurements: a profile that could not reach the
 * claimed size never CONFIRMS, refusals and lost deliveries fail their parts, zero counters are
 * not evidence, the 24 h soak is never measured.
 */
import { describe, expect, it } from 'vitest';
import { judgeNf8, type Nf8Measurement } from './nf-8-sockets.ts';
import { judgeNv14, soakModel, stressKnee, type Nv14Measurement } from './nv-14-load-plan.ts';

const nf8 = (over: Partial<Nf8Measurement> = {}): Nf8Measurement => ({
  target: 10_000, attempted: 10_000, connected: 10_000, failed: 0, held: 10_000, holdMs: 10_000, connectMs: 30_000, rssPerSocketKb: 40, heapPerSocketKb: 14, crossExpected: 40, crossDelivered: 40, load1: 1.5, ...over,
});

describe('NF-8: 10,000 sockets on one instance, delivery across instances', () => {
  it('10,000 held and every delivery made is CONFIRMED', () => {
    const r = judgeNf8(nf8());
    expect(r.verdict).toBe('CONFIRMED');
    expect(r.values?.held).toBe(10_000);
  });
  it('the smoke share (2,000) never CONFIRMS: 10,000 is named as not measured', () => {
    const r = judgeNf8(nf8({ target: 2_000, attempted: 2_000, connected: 2_000, held: 2_000 }));
    expect(r.verdict).toBe('PARTLY');
    expect(r.reason).toMatch(/not measured: 10,000\+ connections per instance/);
  });
  it('7,500 held of 10,000 fails the count', () => {
    const r = judgeNf8(nf8({ connected: 7_500, failed: 2_500, held: 7_500 }));
    expect(r.verdict).toBe('PARTLY');
    expect(r.reason).toMatch(/failed: 10,000\+ connections held by one instance \(measured 7,500\)/);
  });
  it('a lost delivery across instances fails that part', () => {
    expect(judgeNf8(nf8({ crossDelivered: 39 })).reason).toMatch(/failed: .*delivery across instances/);
  });
  it('no held count read and nothing sent is NOT RUN, not CONFIRMED', () => {
    const r = judgeNf8(nf8({ target: 2_000, held: undefined, crossExpected: 0, crossDelivered: 0 }));
    expect(r.verdict).toBe('NOT RUN');
  });
  it('every handshake refused is REFUTED in the full profile', () => {
    const r = judgeNf8(nf8({ connected: 0, failed: 10_000, held: 0, crossExpected: 0, crossDelivered: 0 }));
    expect(r.verdict).toBe('REFUTED');
  });
});

const nv14 = (over: Partial<Nv14Measurement> = {}): Nv14Measurement => ({
  timeScale: 1, planMs: 600_000, requests: 40_000, feedP99Ms: 180, upTo100Requests: 12_000, upTo100Errors: 0, longestPoolQueueS: 0, peakPoolWaiting: 0,
  stressPeakUsers: 500, stressTarget: 500, stressMs: 180_000,
  bands: [{ users: 100, requests: 900, errors: 0, p99Ms: 120 }, { users: 200, requests: 1800, errors: 0, p99Ms: 300 }, { users: 300, requests: 2000, errors: 3, p99Ms: 900 }],
  perUserRatePerSec: 0.5, ...over,
});

describe('NV-14: the load plan', () => {
  it('the plan as written, held, is still PARTLY: the 24 h soak is not measured (with a model)', () => {
    const r = judgeNv14(nv14());
    expect(r.verdict).toBe('PARTLY');
    expect(r.reason).toMatch(/not measured: 24 h soak at 50 users .*model: 25\.0 req\/s/);
    expect(r.reason).not.toMatch(/failed/);
  });
  it('the compressed plan names the compression as not measured', () => {
    expect(judgeNv14(nv14({ timeScale: 0.01 })).reason).toMatch(/not measured: .*stage durations as written/);
  });
  it('an error at 100 users, a P99 over 500 ms and a 5 s pool queue fail their parts', () => {
    const r = judgeNv14(nv14({ upTo100Errors: 1, feedP99Ms: 700, longestPoolQueueS: 5 }));
    expect(r.reason).toMatch(/failed: .*feed p\(99\) < 500 ms.*0% errors up to 100 users.*no pool exhaustion/);
  });
  it('zero requests and unread pool gauges are not evidence', () => {
    const r = judgeNv14(nv14({ requests: 0, upTo100Requests: 0, upTo100Errors: 0, longestPoolQueueS: undefined, stressPeakUsers: 0, bands: [] }));
    expect(r.verdict).toBe('NOT RUN');
  });
  it('models the 24 h soak from the measured CPU per request, and states memory without projecting it', () => {
    const m = soakModel(nv14({ cpuMsPerRequest: 2, memoryEndMb: 400 }))!;
    expect(m).toContain('25.0 req/s');
    expect(m).toContain('2.2 M requests in 24 h');
    expect(m).toContain('2.00 ms of platform CPU per request that is 0.05 cores (500 req/s per core)');
    expect(m).toContain('platform memory 400 MB at the end of the plan');
    expect(m).not.toContain('after 24 h');
  });
  it('no per-user rate gives no model', () => {
    expect(soakModel(nv14({ perUserRatePerSec: undefined }))).toBeUndefined();
  });
  it('a stress that never reached 500 users fails that part', () => {
    expect(judgeNv14(nv14({ stressPeakUsers: 320 })).reason).toMatch(/failed: stress to 500 users/);
  });
  it('the stress knee is the last band with P99 < 500 ms and no error', () => {
    expect(stressKnee(nv14().bands)).toEqual({ heldUpTo: 200, brokeAt: 300 });
    expect(stressKnee([{ users: 100, requests: 10, errors: 0, p99Ms: 50 }])).toEqual({ heldUpTo: 100, brokeAt: undefined });
    expect(stressKnee([{ users: 100, requests: 0, errors: 0, p99Ms: undefined }])).toEqual({ heldUpTo: 0, brokeAt: undefined });
  });
});
