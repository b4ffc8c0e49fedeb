/**
 * The runner against a real toxiproxy-server (private instance) in front of a small HTTP server:
 * verdicts follow what the toxic really does, the timeline records each fault, and the toxics are
 * gone afterwards whether the run succeeds, fails half-way or is aborted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrinkError } from '../core/index.ts';
import { ExperimentRunner, type PreparedExperiment } from './experiment.ts';
import { hypothesis } from './hypothesis.ts';
import { startToxiproxyFixture, type ToxiproxyFixture } from './testing/toxiproxy-fixture.ts';
import { buildToxic } from '../stack/index.ts';

let fx: ToxiproxyFixture;
beforeAll(async () => {
  fx = await startToxiproxyFixture();
});
afterAll(async () => {
  await fx?.stop();
});

function latencyExperiment(overrides: Partial<PreparedExperiment> = {}): PreparedExperiment {
  return {
    id: 'web-latency',
    description: 'latency on the web proxy',
    timing: { steadyMs: 1000, methodMs: 1500, recoverMs: 1500, afterMs: 1000 },
    probe: {
      call: async (signal) => {
        const res = await fetch(fx.proxiedUrl, { signal, headers: { connection: 'close' } });
        await res.arrayBuffer();
        return { status: res.status, ok: res.ok };
      },
      concurrency: 2,
      pauseMs: 50,
      timeoutMs: 2000,
      slowMs: 200,
    },
    faults: [{ id: 'latency', proxy: 'web', startMs: 200, stopMs: 1200, action: { kind: 'toxic', toxic: { ...buildToxic('latency', { latencyMs: 400 }), stream: 'downstream', toxicity: 1 } } }],
    hypotheses: [
      hypothesis('fast before', 'before', 'p99Ms < 200', 'errorRate == 0'),
      hypothesis('fast during', 'during', 'p99Ms < 200'),
      hypothesis('fast after', 'after', 'p99Ms < 200', 'errorRate == 0'),
    ],
    ...overrides,
  };
}

describe('experiment runner', () => {
  it('fails the hypothesis the toxic breaks, holds the others, and records the fault window', async () => {
    const runner = new ExperimentRunner(latencyExperiment(), fx.client);
    const faults: string[] = [];
    runner.on('fault', (e) => faults.push(e.kind));
    const result = await runner.run();
    expect(result.verdicts.map((v) => [v.hypothesis, v.ok])).toEqual([
      ['fast before', true],
      ['fast during', false],
      ['fast after', true],
    ]);
    expect(result.ok).toBe(false);
    expect(Number(result.verdicts[1]!.measured.p99Ms)).toBeGreaterThanOrEqual(400);
    expect(faults).toEqual(['fault-start', 'fault-stop']);
    const start = result.timeline.find((e) => e.kind === 'fault-start')!;
    const stop = result.timeline.find((e) => e.kind === 'fault-stop')!;
    expect(start.label).toBe('web: latency latencyMs=400 jitterMs=0 (downstream, 100%)');
    expect(stop.tMs - start.tMs).toBeGreaterThanOrEqual(900);
    expect(result.timeToDetectMs).toBeDefined();
    expect(result.timeToRecoverMs).toBeDefined();
    expect(result.run!.timeSeries.length).toBeGreaterThanOrEqual(4);
    expect(result.run!.phases.map((p) => p.name)).toEqual(['before', 'during', 'after']);
    expect(await fx.client.brinkToxics()).toEqual([]);
  });

  it('removes the toxics already added when a later fault fails half-way', async () => {
    const x = latencyExperiment();
    const first = x.faults[0]!;
    // The same step id twice: Toxiproxy refuses the second toxic (409) while the first is in force.
    x.faults = [first, { ...first, startMs: 400 }];
    const runner = new ExperimentRunner(x, fx.client);
    await expect(runner.run()).rejects.toThrow('toxic already exists');
    expect(await fx.client.brinkToxics()).toEqual([]);
  });

  it('rolls back and throws ABORTED when aborted during the method', async () => {
    const runner = new ExperimentRunner(latencyExperiment(), fx.client);
    const ac = new AbortController();
    runner.on('fault', (e) => {
      if (e.kind === 'fault-start') ac.abort();
    });
    const err = await runner.run(ac.signal).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BrinkError);
    expect((err as BrinkError).exitCode).toBe(105);
    expect(runner.timeline.filter((e) => e.kind === 'fault-stop').map((e) => e.label)).toEqual(['web: latency removed (rollback)']);
    expect(await fx.client.brinkToxics()).toEqual([]);
  });

  it('injects nothing when the steady state does not hold before', async () => {
    const x = latencyExperiment({ hypotheses: [hypothesis('impossible', 'before', 'p99Ms < 0.001')] });
    const result = await new ExperimentRunner(x, fx.client).run();
    expect(result.ok).toBe(false);
    expect(result.timeline.filter((e) => e.kind === 'fault-start')).toEqual([]);
    expect(result.notes[0]).toContain('steady state not met');
  });
});
