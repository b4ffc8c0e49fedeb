import { setTimeout as sleep } from 'node:timers/promises';
import { BrinkError } from '../core/index.ts';

/**
 * Polls `probe` until it resolves truthy, or throws STARTUP_FAILED naming what was awaited, for how
 * long, and the last error seen (testcontainers' `Log message "…" not received after …ms`).
 */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false>, opts: { timeoutMs: number; intervalMs?: number; signal?: AbortSignal; hint?: () => string }): Promise<T> {
  const deadline = Date.now() + opts.timeoutMs;
  let lastError: unknown;
  let interval = opts.intervalMs ?? 100;
  for (;;) {
    if (opts.signal?.aborted) throw new BrinkError('ABORTED', `interrupted while waiting for ${what}`);
    try {
      const v = await probe();
      if (v) return v;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() >= deadline) {
      const last = lastError instanceof Error ? `; last error: ${lastError.message}` : '';
      const hint = opts.hint ? `; ${opts.hint()}` : '';
      throw new BrinkError('STARTUP_FAILED', `${what} not ready after ${opts.timeoutMs} ms${last}${hint}`);
    }
    await sleep(interval);
    interval = Math.min(interval * 1.5, 1000);
  }
}
