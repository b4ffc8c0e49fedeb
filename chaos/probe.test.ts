import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { watchBreakers } from './gateway.ts';
import { startProbeLoop } from './probe.ts';

/**
 * Counts the 'abort' listeners alive on each AbortSignal while `fn` runs and returns the largest
 * count seen on any one signal, plus the MaxListenersExceededWarnings emitted. A loop that adds a
 * listener per call or per worker to one shared signal shows up here as a count that grows with
 * the calls or the workers.
 */
async function abortListeners(fn: () => Promise<void>): Promise<{ maxOnOneSignal: number; warnings: string[] }> {
  const live = new WeakMap<EventTarget, number>();
  let maxOnOneSignal = 0;
  const add = EventTarget.prototype.addEventListener;
  const remove = EventTarget.prototype.removeEventListener;
  EventTarget.prototype.addEventListener = function (this: EventTarget, type: string, ...rest: unknown[]) {
    if (type === 'abort' && this instanceof AbortSignal) {
      const n = (live.get(this) ?? 0) + 1;
      live.set(this, n);
      maxOnOneSignal = Math.max(maxOnOneSignal, n);
    }
    return (add as (...a: unknown[]) => void).call(this, type, ...rest);
  } as typeof add;
  EventTarget.prototype.removeEventListener = function (this: EventTarget, type: string, ...rest: unknown[]) {
    if (type === 'abort' && this instanceof AbortSignal) live.set(this, Math.max(0, (live.get(this) ?? 0) - 1));
    return (remove as (...a: unknown[]) => void).call(this, type, ...rest);
  } as typeof remove;
  const warnings: string[] = [];
  const onWarning = (w: Error) => void (w.name === 'MaxListenersExceededWarning' && warnings.push(w.message));
  process.on('warning', onWarning);
  try {
    await fn();
    await new Promise((r) => setImmediate(r)); // warnings are emitted on the next tick
  } finally {
    EventTarget.prototype.addEventListener = add;
    EventTarget.prototype.removeEventListener = remove;
    process.off('warning', onWarning);
  }
  return { maxOnOneSignal, warnings };
}

let server: Server | undefined;
afterEach(() => void server?.close());

describe('listeners on abort signals during an experiment', () => {
  it('a probe loop of 16 workers and 600 calls with pauses leaves at most one listener on any signal', async () => {
    let calls = 0;
    const r = await abortListeners(async () => {
      const loop = startProbeLoop({
        call: async (signal) => {
          calls++;
          expect(signal.aborted).toBe(false);
          await new Promise((res) => setImmediate(res));
          return { status: 200, ok: true };
        },
        originMs: performance.now(),
        concurrency: 16,
        pauseMs: 2,
        timeoutMs: 1_000,
        maxDurationMs: 20_000,
        maxCalls: 600,
      });
      while (calls < 600) await new Promise((res) => setTimeout(res, 5));
      await loop.stop();
      expect(loop.samples.length).toBe(600);
    });
    // The old loop paused every worker on the shared stopper: 16 listeners on it at once, and the warning.
    expect(r.maxOnOneSignal).toBeLessThanOrEqual(1);
    expect(r.warnings).toEqual([]);
  });

  it('stop() ends the workers in their pause at once', async () => {
    const loop = startProbeLoop({ call: async () => ({ status: 200, ok: true }), originMs: 0, concurrency: 4, pauseMs: 60_000, timeoutMs: 1_000, maxDurationMs: 120_000, maxCalls: 100 });
    await new Promise((res) => setTimeout(res, 20));
    const t0 = performance.now();
    await loop.stop();
    expect(performance.now() - t0).toBeLessThan(10_000);
    expect(loop.samples.length).toBe(4);
  });

  it('polling the breakers 40 times adds no listener that stays on the watcher', async () => {
    let polls = 0;
    server = createServer((_req, res) => {
      polls++;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ breakers: [{ service: 'posts', state: polls > 20 ? 'open' : 'closed' }] }));
    });
    await new Promise<void>((res) => server!.listen(0, '127.0.0.1', res));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const changes: string[] = [];
    const r = await abortListeners(async () => {
      const w = watchBreakers(url, 0, 1, (c) => changes.push(`${c.from}->${c.to}`), 20_000);
      while (polls < 40) await new Promise((res) => setTimeout(res, 5));
      await w.stop();
    });
    expect(changes).toEqual(['unknown->closed', 'closed->open']);
    // One listener per poll on that poll's own signal (undici), none piling up on a shared one.
    expect(r.maxOnOneSignal).toBeLessThanOrEqual(2);
    expect(r.warnings).toEqual([]);
  });
});
