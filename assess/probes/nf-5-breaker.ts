/** NF-5's verdict; measured by hanging-services.ts together with NV-5. */
import { fmtMs } from '../measure.ts';
import { fact, flawAtLeast, judged, lowerIsBetter, show, unmeasured, type ProbeResult } from '../verdict.ts';

export interface Nf5Measurement {
  /** A hanging call while the breaker is still closed: how long the caller waited. */
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
    'gateway->posts hop through Toxiproxy (svc-posts) hanging (timeout toxic); breakers on, service-timeouts on (posts 10 s); twelve GET /api/feed at once with breaker-window off (NewFeed: 10 s rolling window), then on (calls counted as they complete over a window of one deadline); client-side latency on loopback',
    `closed breaker: waited ${fmtMs(m.noBreakerWaitMs)}; NewFeed config (10 s window): ${m.documentWindowState ?? 'unknown'} after 12 timed-out calls; fixed window (counted on completion over one deadline): ${m.fixedWindowState ?? 'unknown'}${m.timeToOpenMs !== undefined ? ` after ${fmtMs(m.timeToOpenMs)}` : ''}; while open ${m.fastCalls} calls p50 ${m.openP50Ms !== undefined ? fmtMs(m.openP50Ms) : '-'}, max ${m.openMaxMs !== undefined ? fmtMs(m.openMaxMs) : '-'} (HTTP ${m.openStatuses.join('/') || '-'}); recovered ${m.recoveryMs !== undefined ? `in ${fmtMs(m.recoveryMs)}` : 'not within 45 s'}`,
    [
      flawAtLeast('until the breaker opens, a failing call waits out the ~10 s timeout (>= 9 s)', m.noBreakerWaitMs, 9000, show.ms),
      fact('NewFeed\'s configuration opens the breaker on a hanging service', m.documentWindowState === undefined ? undefined : m.documentWindowState === 'open', `${m.documentWindowState ?? 'unknown'} after 12 timeouts (rolling window 10 s = the timeout)`),
      opened
        ? lowerIsBetter('once open, a call fails in < 1 ms (client side, loopback HTTP)', m.openStatuses.every((s) => s === 503) ? m.openP50Ms : undefined, 1, show.ms, { strict: true })
        : unmeasured('once open, a call fails in < 1 ms', `the breaker did not open even with the fixed window (${m.fixedWindowState ?? 'unknown'})`),
    ],
    { failingCallNoBreakerMs: m.noBreakerWaitMs, openBreakerP50Ms: m.openP50Ms, openBreakerMaxMs: m.openMaxMs, timeToOpenMs: m.timeToOpenMs, recoveryMs: m.recoveryMs, openedWithDocumentWindow: m.documentWindowState === 'open' ? 1 : 0, openedWithFixedWindow: opened ? 1 : 0 },
  );
}
