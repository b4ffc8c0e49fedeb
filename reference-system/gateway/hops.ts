/**
 * Per-hop time sums per downstream, for bottleneck attribution (issue 14). Each forwarded request
 * adds: its whole time in the gateway, the gateway's own part, transit (sent -> the service
 * started, and back), the service outside its queries, and its queries (from the service's
 * Server-Timing). The sums go to a Redis hash once a second, so several gateway instances (in
 * several processes) add up to one answer at GET /health/hops; without Redis, each instance
 * answers its own sums.
 */
import type { Redis } from 'ioredis';
import { parseServerTiming } from '../shared/server-timing.ts';

export const HOP_FIELDS = ['requests', 'totalMs', 'gatewayMs', 'transitMs', 'serviceMs', 'dbMs'] as const;
export type HopField = (typeof HOP_FIELDS)[number];
export type HopSums = Record<string, Record<HopField, number>>;

const zero = (): Record<HopField, number> => ({ requests: 0, totalMs: 0, gatewayMs: 0, transitMs: 0, serviceMs: 0, dbMs: 0 });
const HASH = 'hops';

/** Splits one request's time into hops; pure, for tests. */
export function splitHops(totalMs: number, upstreamMs: number, serverTiming: string | string[] | undefined): Record<HopField, number> {
  const t = parseServerTiming(serverTiming);
  const app = Math.min(t.app ?? 0, upstreamMs);
  const db = Math.min(t.db ?? 0, app);
  return { requests: 1, totalMs, gatewayMs: Math.max(0, totalMs - upstreamMs), transitMs: Math.max(0, upstreamMs - app), serviceMs: app - db, dbMs: db };
}

export class HopRecorder {
  private readonly local: HopSums = {};
  private pending: HopSums = {};
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly redis: Redis | undefined) {
    this.timer = setInterval(() => void this.flush(), 1_000);
    this.timer.unref();
  }

  record(service: string, hops: Record<HopField, number>): void {
    for (const sums of [this.local, this.pending]) {
      const s = (sums[service] ??= zero());
      for (const f of HOP_FIELDS) s[f] += hops[f];
    }
  }

  async flush(): Promise<void> {
    const batch = this.pending;
    this.pending = {};
    if (!this.redis || Object.keys(batch).length === 0) return;
    const m = this.redis.multi();
    for (const [svc, s] of Object.entries(batch)) for (const f of HOP_FIELDS) if (s[f] !== 0) m.hincrbyfloat(`${HASH}:${svc}`, f, s[f]);
    await m.exec().catch(() => undefined);
  }

  /** Every instance's sums (Redis), or this instance's when Redis does not answer. */
  async sums(services: readonly string[]): Promise<HopSums> {
    if (!this.redis) return this.local;
    await this.flush();
    try {
      const out: HopSums = {};
      const rows = await Promise.all(services.map((svc) => this.redis!.hgetall(`${HASH}:${svc}`)));
      rows.forEach((r, i) => {
        if (Object.keys(r).length === 0) return;
        const s = zero();
        for (const f of HOP_FIELDS) s[f] = Number(r[f] ?? 0);
        out[services[i]!] = s;
      });
      return out;
    } catch {
      return this.local;
    }
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
