/**
 * The pure parts of a reconnecting AMQP link: the URL it connects to, the backoff between tries,
 * and the callers waiting for the first connection.
 */

/** A short heartbeat notices a silently dead peer within seconds instead of the default minute. */
export function heartbeatUrl(url: string, seconds = 5): string {
  return url.includes('heartbeat=') ? url : `${url}${url.includes('?') ? '&' : '?'}heartbeat=${seconds}`;
}

/** Delays that double from minMs up to maxMs; reset() after a success. */
export class Backoff {
  #next: number;

  constructor(
    private readonly minMs: number,
    private readonly maxMs: number,
  ) {
    this.#next = minMs;
  }

  /** The delay before the next try (and doubles the one after). */
  next(): number {
    const d = this.#next;
    this.#next = Math.min(this.maxMs, d * 2);
    return d;
  }

  reset(): void {
    this.#next = this.minMs;
  }
}

/** Callers of ready(): released together by the first connection, or each rejected at its own timeout. */
export class ReadyWaiters {
  #waiters: (() => void)[] = [];

  get count(): number {
    return this.#waiters.length;
  }

  /** Resolves on release(); after timeoutMs rejects with the error `timeoutError()` builds then. */
  wait(timeoutMs: number, timeoutError: () => Error): Promise<void> {
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => {
        this.#waiters = this.#waiters.filter((w) => w !== done);
        reject(timeoutError());
      }, timeoutMs);
      const done = () => {
        clearTimeout(t);
        resolve();
      };
      this.#waiters.push(done);
    });
  }

  release(): void {
    for (const w of this.#waiters) w();
    this.#waiters = [];
  }
}
