import type { ClaimProbe } from '../probe.ts';
import type { AssessContext } from '../context.ts';
import { fmtMs, http } from '../measure.ts';
import { fact, judged, lowerIsBetter, show, type ProbeResult } from '../verdict.ts';
import { n } from './lib.ts';

/** One phase: ranking calls made while posts was held up for `heldMs`, and the posts pool meanwhile. */
export interface RankingPhase {
  heldMs: number;
  calls: number;
  /** Slowest and fastest 200 answer (ms); how many were 200, and empty degraded among them; the rest failed. */
  maxMs: number;
  minMs: number;
  degraded: number;
  ok: number;
  /** Statuses of the calls that did not answer 200 (e.g. 503 when no pool connection came within 2 s). */
  failedStatuses: number[];
  /** Peak in-use and waiting of the posts service's pool seen on /metrics during the hold. */
  poolInUsePeak: number;
  poolWaitingPeak: number;
  poolMax: number;
}

export interface Nv4Measurement {
  off: RankingPhase;
  on: RankingPhase;
}

/** "15 answered after 5.03 s-5.04 s", or "0 answered" (no 200, so no time range to show). */
export function answeredText(p: RankingPhase): string {
  return p.ok > 0 && Number.isFinite(p.minMs) && Number.isFinite(p.maxMs) ? `${p.ok} answered after ${fmtMs(p.minMs)}-${fmtMs(p.maxMs)}` : `${p.ok} answered`;
}

export function judgeNv4(m: Nv4Measurement): ProbeResult {
  return judged(
    'NV-4',
    `posts held up from a direct connection (LOCK TABLE posts, ${fmtMs(m.off.heldMs)}) so the ranking query cannot finish; ${m.off.calls} concurrent GET /api/posts/trending (more than the posts pool's ${m.off.poolMax}); switch statement-timeouts off, then on (5 s); the posts pool read from /metrics meanwhile`,
    `no timeout: ${answeredText(m.off)}, ${m.off.failedStatuses.length} failed (${m.off.failedStatuses.join('/') || '-'}), pool in use ${m.off.poolInUsePeak}/${m.off.poolMax} with ${m.off.poolWaitingPeak} waiting; 5 s timeout: ${answeredText(m.on)} (${m.on.degraded} empty and degraded), ${m.on.failedStatuses.length} failed (${m.on.failedStatuses.join('/') || '-'}), pool peak ${m.on.poolInUsePeak}/${m.on.poolMax} with ${m.on.poolWaitingPeak} waiting`,
    [
      fact('without a timeout the ranking query runs as long as it is held up (no bound)', m.off.ok > 0 ? m.off.maxMs >= m.off.heldMs - 1000 : undefined, m.off.ok > 0 ? `${fmtMs(m.off.maxMs)} for a ${fmtMs(m.off.heldMs)} hold` : 'no call answered'),
      fact('and starves the pool (every connection in use, other calls failing or waiting)', m.off.poolMax > 0 ? m.off.poolInUsePeak >= m.off.poolMax && (m.off.poolWaitingPeak > 0 || m.off.failedStatuses.length > 0) : undefined, `${m.off.poolInUsePeak}/${m.off.poolMax} in use, ${m.off.poolWaitingPeak} waiting, ${m.off.failedStatuses.length} failed`),
      lowerIsBetter('a 5 s timeout cuts the query (answered by 6.5 s)', m.on.ok > 0 ? m.on.maxMs : undefined, [5_000, 6_500], show.ms),
      fact('with an empty fallback', m.on.ok > 0 ? m.on.degraded === m.on.ok : undefined, `${m.on.degraded}/${m.on.ok} answers empty and degraded`),
      fact('which keeps every call answering (none starved of a connection)', m.on.calls > 0 ? m.on.failedStatuses.length === 0 : undefined, `${m.on.ok}/${m.on.calls} answered 200${m.on.failedStatuses.length ? `, ${m.on.failedStatuses.length} failed with ${[...new Set(m.on.failedStatuses)].join('/')}` : ''}`),
    ],
    { offMaxMs: m.off.maxMs, onMaxMs: m.on.maxMs, offPoolInUse: m.off.poolInUsePeak, offPoolWaiting: m.off.poolWaitingPeak, onPoolWaiting: m.on.poolWaitingPeak },
  );
}

/** Sums the posts service's pool gauges by state from the gateway's /metrics. */
async function postsPool(ctx: AssessContext): Promise<{ inUse: number; waiting: number }> {
  const text = await (await fetch(`${ctx.gateway}/metrics`, { signal: AbortSignal.timeout(5000) })).text();
  const sum = (state: string) =>
    [...text.matchAll(new RegExp(`^brink_db_pool_connections\\{([^}]*)\\} (\\S+)$`, 'gm'))]
      .filter((m) => m[1]!.includes('service="posts"') && m[1]!.includes(`state="${state}"`))
      .reduce((s, m) => s + Number(m[2]), 0);
  return { inUse: sum('in_use'), waiting: sum('waiting') };
}

async function phase(ctx: AssessContext, heldMs: number, calls: number, poolMax: number): Promise<RankingPhase> {
  const headers = { authorization: `Bearer ${await ctx.token(ctx.dataset.sampleUserIds[4]!)}` };
  const lock = await ctx.db.connect();
  let inUse = 0;
  let waiting = 0;
  try {
    await lock.query('BEGIN');
    await lock.query('LOCK TABLE posts IN ACCESS EXCLUSIVE MODE');
    const release = setTimeout(() => void lock.query('COMMIT').catch(() => undefined), heldMs);
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const p = await postsPool(ctx).catch(() => undefined);
        if (p) [inUse, waiting] = [Math.max(inUse, p.inUse), Math.max(waiting, p.waiting)];
        await new Promise((r) => setTimeout(r, 250));
      }
    })();
    const answers = await Promise.all(Array.from({ length: calls }, async () => {
      const r = await http(`${ctx.gateway}/api/posts/trending?limit=20`, { headers, timeoutMs: heldMs + 60_000 });
      const body = JSON.parse(r.body.toString() || '{}') as { degraded?: boolean; items?: unknown[] };
      return { ms: r.ms, status: r.status, ok: r.status === 200, degraded: r.status === 200 && body.degraded === true && (body.items?.length ?? 0) === 0 };
    }));
    sampling = false;
    await sampler;
    clearTimeout(release);
    const ok = answers.filter((a) => a.ok);
    return { heldMs, calls, maxMs: ok.length ? Math.max(...ok.map((a) => a.ms)) : Number.NaN, minMs: ok.length ? Math.min(...ok.map((a) => a.ms)) : Number.NaN, degraded: ok.filter((a) => a.degraded).length, ok: ok.length, failedStatuses: answers.filter((a) => !a.ok).map((a) => a.status), poolInUsePeak: inUse, poolWaitingPeak: waiting, poolMax };
  } finally {
    await lock.query('ROLLBACK').catch(() => undefined);
    lock.release();
  }
}

/** NV-4: a ranking query held up, without and with the 5 s statement timeout and its empty fallback. */
export const nv4StatementTimeouts: ClaimProbe = {
  id: 'nv-4-statement-timeouts',
  claimIds: ['NV-4'],
  description: 'holds posts with a table lock while ranking queries run, statement-timeouts off then on; reads the posts pool meanwhile',
  profiles: ['smoke', 'full'],
  async run(ctx) {
    const poolMax = 15;
    const calls = poolMax + 5;
    const heldMs = n(ctx, 7_000, 35_000);
    // Breakers off: twenty slow calls must reach the service, not trip the gateway's breaker.
    const off = await ctx.withSwitches({ 'statement-timeouts': false, breakers: false, 'shared-pool': true }, () => phase(ctx, heldMs, calls, poolMax));
    const on = await ctx.withSwitches({ 'statement-timeouts': true, breakers: false, 'shared-pool': true }, () => phase(ctx, heldMs, calls, poolMax));
    return [judgeNv4({ off, on })];
  },
};
