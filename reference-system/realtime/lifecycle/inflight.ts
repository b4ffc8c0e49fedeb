/**
 * Work started by events (a socket's message, a delivery) that stop() must wait for, so nothing
 * writes to a pool or channel that is already closed.
 */
export class InflightWork {
  readonly #pending = new Set<Promise<unknown>>();

  get size(): number {
    return this.#pending.size;
  }

  /** Remembers `p` until it settles. `p` should not reject: callers catch and log their failures. */
  track(p: Promise<unknown>): void {
    this.#pending.add(p);
    void p.finally(() => this.#pending.delete(p));
  }

  /** Waits until everything tracked now has settled, or `maxMs` passed (no bound when omitted). */
  async drain(maxMs?: number): Promise<void> {
    const all = Promise.allSettled([...this.#pending]);
    if (maxMs === undefined) {
      await all;
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<void>((r) => {
      timer = setTimeout(r, maxMs);
      timer.unref();
    });
    await Promise.race([all, bound]);
    clearTimeout(timer);
  }
}
