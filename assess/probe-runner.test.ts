/** The background-probe mechanism of the claims step (assess/probe-runner.ts), on fake probes. */
import { describe, expect, it } from 'vitest';
import type { AssessContext } from './context.ts';
import type { ClaimProbe } from './probe.ts';
import { runProbes } from './probe-runner.ts';

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
};

/** A probe that logs when it starts and ends, and ends when `gate` opens. */
function probe(id: string, log: string[], gate: Promise<void> = Promise.resolve(), opts: { background?: boolean; fail?: boolean } = {}): ClaimProbe {
  return {
    id, claimIds: [id.toUpperCase()], description: id, profiles: ['smoke'], ...(opts.background ? { background: true } : {}),
    async run() {
      log.push(`start ${id}`);
      await gate;
      log.push(`end ${id}`);
      if (opts.fail) throw new Error(`${id} broke`);
      return [{ id: id.toUpperCase(), method: 'm', measured: '1', verdict: 'CONFIRMED', reason: 'r' }];
    },
  };
}

const ctxWith = (signal = new AbortController().signal) => ({ signal }) as AssessContext;
const tick = () => new Promise((r) => setImmediate(r));

describe('runProbes', () => {
  it('runs foreground probes one after another, and a background probe beside the ones after it', async () => {
    const log: string[] = [];
    const bg = deferred();
    const done = runProbes([probe('a', log), probe('bg', log, bg.promise, { background: true }), probe('c', log), probe('d', log)], ctxWith());
    let finished = false;
    void done.then(() => (finished = true));
    for (let i = 0; i < 10; i++) await tick();
    // c and d ran to the end while bg was still waiting; the step has not ended.
    expect(log).toEqual(['start a', 'end a', 'start bg', 'start c', 'end c', 'start d', 'end d']);
    expect(finished).toBe(false);
    bg.resolve();
    const outcomes = await done;
    expect(log.at(-1)).toBe('end bg');
    // Outcomes in the list's order, whatever order they ended in.
    expect(outcomes.map((o) => o.probe.id)).toEqual(['a', 'bg', 'c', 'd']);
    expect(outcomes.every((o) => o.results?.[0]?.verdict === 'CONFIRMED')).toBe(true);
  });

  it('a probe that throws is an outcome with its error; the probes after it still run', async () => {
    const log: string[] = [];
    const seen: string[] = [];
    const outcomes = await runProbes([probe('a', log, undefined, { fail: true }), probe('bg', log, undefined, { background: true, fail: true }), probe('c', log)], ctxWith(), (o) => seen.push(`${o.probe.id}:${o.error ? 'error' : 'ok'}`));
    expect(outcomes.map((o) => [o.probe.id, o.error?.message])).toEqual([['a', 'a broke'], ['bg', 'bg broke'], ['c', undefined]]);
    expect(seen.sort()).toEqual(['a:error', 'bg:error', 'c:ok']);
  });

  it('an interrupt stops before the next probe, and still waits for the background probe to end', async () => {
    const log: string[] = [];
    const ac = new AbortController();
    const bg = deferred();
    const stopper: ClaimProbe = { ...probe('stop', log), run: async () => (ac.abort(), []) };
    const done = runProbes([probe('bg', log, bg.promise, { background: true }), stopper, probe('never', log)], ctxWith(ac.signal));
    let settled = false;
    void done.catch(() => undefined).then(() => (settled = true));
    for (let i = 0; i < 10; i++) await tick();
    expect(settled).toBe(false);
    bg.resolve();
    await expect(done).rejects.toThrow('interrupted');
    expect(log).toEqual(['start bg', 'end bg']);
  });

  it('gives up a probe that never settles at its deadline: an outcome with the error, and the probes after it still run', async () => {
    const log: string[] = [];
    const never: ClaimProbe = { id: 'hang', claimIds: ['HANG'], description: 'hang', profiles: ['smoke'], run: () => new Promise(() => undefined) };
    const outcomes = await runProbes([never, probe('b', log)], ctxWith(), undefined, 50);
    expect(outcomes.map((o) => o.probe.id)).toEqual(['hang', 'b']);
    expect(outcomes[0]!.error?.message).toBe('probe hang did not finish within 0 s');
    expect(outcomes[1]!.results?.[0]?.verdict).toBe('CONFIRMED');
    expect(log).toEqual(['start b', 'end b']);
  });
});
