import type { ClaimProbe } from '../probe.ts';
import { fmtMs, http, repeat } from '../measure.ts';
import { addToxic, removeToxic } from '../toxics.ts';
import { fact, flawAtLeast, judged, lowerIsBetter, show, unmeasured, type ProbeResult } from '../verdict.ts';
import { n } from './lib.ts';

interface BreakerStates {
  breakers: { service: string; state: 'closed' | 'open' | 'half-open' }[];
}

const TOXIC = 'brink-assess-hang';
const PROXY = 'svc-posts';

export interface Nf5Measurement {
  /** A hanging call with breakers off: how long the caller waited. */
  noBreakerWaitMs: number;
  /** The document's configuration (10 s window): the posts breaker's state after 12 timed-out calls. */
  documentWindowState: string | undefined;
  /** The fixed window (switch breaker-window): state after the same calls, and when it opened. */
  fixedWindowState: string | undefined;
  timeToOpenMs: number | undefined;
  /** Calls made while it was open: client-side p50/max and the statuses answered. */
  fastCalls: number;
  openP50Ms: number | undefined;
  openMaxMs: number | undefined;
  openStatuses: number[];
  /** From the fault removed to the breaker closed again (reset 30 s + a trial call). */
  recoveryMs: number | undefined;
}

export function judgeNf5(m: Nf5Measurement): ProbeResult {
  const opened = m.fixedWindowState === 'open';
  return judged(
    'NF-5',
    'gateway->posts hop through Toxiproxy (svc-posts) hanging (timeout toxic); switch breakers off/on with service-timeouts on (posts 10 s); breaker-window off (NewFeed: 10 s rolling window) then on (3x the timeout); GET /api/feed; client-side latency on loopback',
    `no breaker: waited ${fmtMs(m.noBreakerWaitMs)}; NewFeed config (10 s window): ${m.documentWindowState ?? 'unknown'} after 12 timed-out calls; fixed window (30 s): ${m.fixedWindowState ?? 'unknown'}${m.timeToOpenMs !== undefined ? ` after ${fmtMs(m.timeToOpenMs)}` : ''}; while open ${m.fastCalls} calls p50 ${m.openP50Ms !== undefined ? fmtMs(m.openP50Ms) : '-'}, max ${m.openMaxMs !== undefined ? fmtMs(m.openMaxMs) : '-'} (HTTP ${m.openStatuses.join('/') || '-'}); recovered ${m.recoveryMs !== undefined ? `in ${fmtMs(m.recoveryMs)}` : 'not within 45 s'}`,
    [
      flawAtLeast('without a breaker a failing call waits out the ~10 s timeout (>= 9 s)', m.noBreakerWaitMs, 9000, show.ms),
      fact('NewFeed\'s configuration opens the breaker on a hanging service', m.documentWindowState === undefined ? undefined : m.documentWindowState === 'open', `${m.documentWindowState ?? 'unknown'} after 12 timeouts (rolling window 10 s = the timeout)`),
      opened
        ? lowerIsBetter('once open, a call fails in < 1 ms (client side, loopback HTTP)', m.openStatuses.every((s) => s === 503) ? m.openP50Ms : undefined, 1, show.ms, { strict: true })
        : unmeasured('once open, a call fails in < 1 ms', `the breaker did not open even with the fixed window (${m.fixedWindowState ?? 'unknown'})`),
    ],
    { failingCallNoBreakerMs: m.noBreakerWaitMs, openBreakerP50Ms: m.openP50Ms, openBreakerMaxMs: m.openMaxMs, timeToOpenMs: m.timeToOpenMs, recoveryMs: m.recoveryMs, openedWithDocumentWindow: m.documentWindowState === 'open' ? 1 : 0, openedWithFixedWindow: opened ? 1 : 0 },
  );
}

/**
 * NF-5 on the gateway->posts hop (Toxiproxy proxy svc-posts), hanging (timeout toxic):
 *  A. breakers off: one call waits out the 10 s timeout;
 *  B. breakers on, NewFeed's configuration (10 s window): twelve timed-out calls at once: does it open?
 *  C. breakers on, window fixed (switch breaker-window): the same; time to open, calls while open, recovery.
 * Toxics are always removed and the probe waits for the breaker to close.
 */
export const nf5Breaker: ClaimProbe = {
  id: 'nf-5-breaker',
  claimIds: ['NF-5'],
  description: 'hangs the gateway->posts hop and times failing calls with breakers off, on with NewFeed\'s window, and on with the fixed window',
  profiles: ['smoke', 'full'],
  async run(ctx) {
    const api = ctx.stack.urls.toxiproxy;
    const headers = { authorization: `Bearer ${await ctx.token(ctx.dataset.sampleUserIds[2]!)}` };
    const feed = () => http(`${ctx.gateway}/api/feed?limit=5`, { headers, timeoutMs: 40_000 });
    const postsState = async () => ((await (await fetch(`${ctx.gateway}/health/circuit-breakers`)).json()) as BreakerStates).breakers.find((b) => b.service === 'posts')?.state;
    const fastCalls = n(ctx, 20, 100);
    let recoveryMs: number | undefined;
    try {
      await addToxic(api, PROXY, { name: TOXIC, type: 'timeout', attributes: { timeout: 0 } });
      const hangOff = await ctx.withSwitches({ breakers: false, 'service-timeouts': true, cache: false }, async () => feed());
      const documentWindowState = await ctx.withSwitches({ breakers: true, 'service-timeouts': true, 'breaker-window': false, cache: false }, async () => {
        // Volume threshold 10: twelve hanging calls at once.
        await Promise.all(Array.from({ length: 12 }, () => feed()));
        return postsState();
      });
      const fixed = await ctx.withSwitches({ breakers: true, 'service-timeouts': true, 'breaker-window': true, cache: false }, async () => {
        const t0 = performance.now();
        let timeToOpenMs: number | undefined;
        const watcher = (async () => {
          while (timeToOpenMs === undefined && performance.now() - t0 < 20_000) {
            if ((await postsState().catch(() => undefined)) === 'open') timeToOpenMs = performance.now() - t0;
            else await new Promise((r) => setTimeout(r, 100));
          }
        })();
        await Promise.all(Array.from({ length: 12 }, () => feed()));
        await watcher;
        const state = await postsState();
        const statuses = new Set<number>();
        const fast = state === 'open' ? await repeat(fastCalls, async () => statuses.add((await feed()).status)) : undefined;
        await removeToxic(api, PROXY, TOXIC);
        const r0 = performance.now();
        const deadline = r0 + 45_000;
        while (performance.now() < deadline && (await postsState().catch(() => undefined)) !== 'closed') {
          await feed().catch(() => undefined);
          await new Promise((r) => setTimeout(r, 500));
        }
        if ((await postsState().catch(() => undefined)) === 'closed') recoveryMs = performance.now() - r0;
        return { state, timeToOpenMs, fast, statuses: [...statuses] };
      });
      return [judgeNf5({
        noBreakerWaitMs: hangOff.ms,
        documentWindowState,
        fixedWindowState: fixed.state,
        timeToOpenMs: fixed.timeToOpenMs,
        fastCalls,
        openP50Ms: fixed.fast?.p50,
        openMaxMs: fixed.fast?.max,
        openStatuses: fixed.statuses,
        recoveryMs,
      })];
    } finally {
      await removeToxic(api, PROXY, TOXIC).catch(() => undefined);
      // Leave the platform as found: let the breaker half-open and close (posts reset 30 s).
      const deadline = Date.now() + 45_000;
      while (Date.now() < deadline && (await postsState().catch(() => 'closed')) !== 'closed') {
        await feed().catch(() => undefined);
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  },
};
