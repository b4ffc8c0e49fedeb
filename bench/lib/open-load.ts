/**
 * A small open-model load loop for benchmarks: requests leave on a fixed schedule whatever the
 * answers do (constant arrival rate), latency is measured from the scheduled send time (no
 * coordinated omission), and everything is bounded: a duration, a cap on requests in flight (a
 * request that cannot leave because the cap is reached counts as dropped) and a per-request
 * timeout. Loopback only.
 */
import { Agent, request } from 'undici';
import { checkLoadTarget } from '../../core/index.ts';
import { createHistogram, percentileMs, recordMs } from '../../core/index.ts';

export interface OpenLoadTarget {
  path: string;
  headers: Record<string, string>;
  /** Label for per-route figures ("feed", "user-posts"). */
  route: string;
}

export interface OpenLoadOptions {
  baseUrls: readonly string[];
  ratePerS: number;
  durationS: number;
  next: (i: number) => OpenLoadTarget;
  maxInFlight?: number;
  timeoutMs?: number;
  connections?: number;
}

export interface OpenLoadResult {
  ratePerS: number;
  durationS: number;
  scheduled: number;
  completed: number;
  /** Answers 2xx per second of the run (completed within the run plus its drain). */
  achievedPerS: number;
  okCount: number;
  errorRate: number;
  dropped: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  statuses: Record<string, number>;
  byRoute: Record<string, { count: number; errors: number; p99Ms: number }>;
  wallS: number;
}

export async function openLoad(o: OpenLoadOptions): Promise<OpenLoadResult> {
  for (const u of o.baseUrls) checkLoadTarget(u, false);
  const maxInFlight = o.maxInFlight ?? 4_000;
  const timeoutMs = o.timeoutMs ?? 30_000;
  const agent = new Agent({ connections: o.connections ?? 256, keepAliveTimeout: 30_000, pipelining: 1 });
  const hist = createHistogram();
  const routeHists = new Map<string, { h: ReturnType<typeof createHistogram>; count: number; errors: number }>();
  const statuses: Record<string, number> = {};
  const total = Math.round(o.ratePerS * o.durationS);
  const intervalMs = 1000 / o.ratePerS;
  let inFlight = 0;
  let completed = 0;
  let okCount = 0;
  let dropped = 0;
  const pending: Promise<void>[] = [];
  const t0 = performance.now();

  const fire = async (i: number, scheduledAt: number): Promise<void> => {
    const t = o.next(i);
    const base = o.baseUrls[i % o.baseUrls.length]!;
    let status = 'error';
    try {
      const res = await request(base + t.path, { method: 'GET', headers: t.headers, dispatcher: agent, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
      await res.body.dump();
      status = String(res.statusCode);
    } catch (e) {
      status = (e as { code?: string }).code ?? 'error';
    } finally {
      inFlight--;
    }
    const ms = performance.now() - scheduledAt;
    recordMs(hist, ms);
    completed++;
    const ok = status.startsWith('2');
    if (ok) okCount++;
    statuses[status] = (statuses[status] ?? 0) + 1;
    let r = routeHists.get(t.route);
    if (!r) routeHists.set(t.route, (r = { h: createHistogram(), count: 0, errors: 0 }));
    r.count++;
    if (!ok) r.errors++;
    recordMs(r.h, ms);
  };

  for (let i = 0; i < total; i++) {
    const scheduledAt = t0 + i * intervalMs;
    const waitMs = scheduledAt - performance.now();
    if (waitMs > 1) await new Promise((r) => setTimeout(r, waitMs));
    if (inFlight >= maxInFlight) {
      dropped++;
      statuses.dropped = (statuses.dropped ?? 0) + 1;
      continue;
    }
    inFlight++;
    pending.push(fire(i, scheduledAt));
  }
  await Promise.all(pending);
  const wallS = (performance.now() - t0) / 1000;
  await agent.close();
  const errors = total - okCount;
  return {
    ratePerS: o.ratePerS,
    durationS: o.durationS,
    scheduled: total,
    completed,
    achievedPerS: okCount / Math.max(o.durationS, wallS),
    okCount,
    errorRate: total === 0 ? 0 : errors / total,
    dropped,
    p50Ms: percentileMs(hist, 50),
    p90Ms: percentileMs(hist, 90),
    p99Ms: percentileMs(hist, 99),
    maxMs: percentileMs(hist, 100),
    statuses,
    byRoute: Object.fromEntries([...routeHists].map(([k, v]) => [k, { count: v.count, errors: v.errors, p99Ms: percentileMs(v.h, 99) }])),
    wallS,
  };
}
