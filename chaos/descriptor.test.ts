import { describe, expect, it } from 'vitest';
import type { StackState, ToxiproxyClient } from '../stack/index.ts';
import { prepareExperiment, type ExperimentDescriptor, type PrepareContext } from './descriptor.ts';
import { RunJournal } from './journal.ts';

const seen: PrepareContext[] = [];
const descriptor: ExperimentDescriptor = {
  id: 'x-down',
  description: 'x disabled',
  claimIds: [],
  proxies: ['x'],
  recipe: [],
  timing: {
    smoke: { steadyMs: 1, methodMs: 2, recoverMs: 3, afterMs: 1 },
    load: { steadyMs: 10, methodMs: 20, recoverMs: 30, afterMs: 10 },
  },
  async prepare(ctx) {
    seen.push(ctx);
    return {
      probe: { call: async () => ({ status: 200, ok: true }), concurrency: 1, pauseMs: 0, timeoutMs: 1, slowMs: 1 },
      faults: [{ id: 'down', proxy: 'x', startMs: 0, stopMs: ctx.timing.methodMs, action: { kind: 'disable' } }],
      hypotheses: [],
    };
  },
};

describe('prepareExperiment', () => {
  it("hands prepare() the profile's timing and takes id, description and timing from the descriptor", async () => {
    const hooks = new RunJournal();
    const prepared = await prepareExperiment(descriptor, { stack: {} as StackState, toxiproxy: {} as ToxiproxyClient, profile: 'load', hooks });
    expect(seen.at(-1)!.timing).toEqual({ steadyMs: 10, methodMs: 20, recoverMs: 30, afterMs: 10 });
    expect(seen.at(-1)!.hooks).toBe(hooks);
    expect(prepared).toMatchObject({ id: 'x-down', description: 'x disabled', timing: { steadyMs: 10, methodMs: 20, recoverMs: 30, afterMs: 10 } });
    expect(prepared.faults[0]!.stopMs).toBe(20);
    expect((await prepareExperiment(descriptor, { stack: {} as StackState, toxiproxy: {} as ToxiproxyClient, profile: 'smoke', hooks })).timing.methodMs).toBe(2);
  });
});
