/**
 * A small in-process LRU with per-entry expiry: the cache's L1. A Map keeps insertion order, so
 * re-inserting on read makes the first key the least recently used one.
 */
export class ExpiringLru<V> {
  private readonly map = new Map<string, { value: V; expiresAtMs: number }>();
  constructor(
    readonly maxEntries: number,
    private readonly now: () => number = Date.now,
  ) {}

  get(key: string): V | undefined {
    const e = this.map.get(key);
    if (!e) return undefined;
    if (e.expiresAtMs <= this.now()) {
      this.map.delete(key);
      return undefined;
    }
    this.map.delete(key);
    this.map.set(key, e);
    return e.value;
  }

  set(key: string, value: V, ttlMs: number): void {
    this.map.delete(key);
    this.map.set(key, { value, expiresAtMs: this.now() + ttlMs });
    while (this.map.size > this.maxEntries) {
      const oldest = this.map.keys().next().value as string;
      this.map.delete(oldest);
    }
  }

  delete(key: string): void {
    this.map.delete(key);
  }

  deletePrefix(prefix: string): number {
    let n = 0;
    for (const k of [...this.map.keys()]) if (k.startsWith(prefix)) (this.map.delete(k), n++);
    return n;
  }

  get size(): number {
    return this.map.size;
  }
}
