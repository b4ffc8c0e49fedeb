import type { ClaimProbe } from '../probe.ts';
import { fmtMs, http } from '../measure.ts';
import { fact, flawAtLeast, judged, lowerIsBetter, show, type ProbeResult } from '../verdict.ts';

export interface HashRound {
  wallMs: number;
  worstHealthMs: number;
  /** Registrations answered 201/200 (of 10). */
  created: number;
}

/** A round where registrations failed measured nothing about hashing: its parts are not measured. */
export function judgeNv8(m: { onLoop: HashRound; offLoop: HashRound }): ProbeResult {
  const onOk = m.onLoop.created === 10;
  const offOk = m.offLoop.created === 10;
  return judged(
    'NV-8',
    'switch hash-off-loop off/on; 10 concurrent POST /api/auth/register to the auth service; /health probed every 10 ms meanwhile',
    `10 registrations: ${fmtMs(m.onLoop.wallMs)} on the loop vs ${fmtMs(m.offLoop.wallMs)} off it; worst /health during: ${fmtMs(m.onLoop.worstHealthMs)} vs ${fmtMs(m.offLoop.worstHealthMs)} (${m.onLoop.created}+${m.offLoop.created} of 10+10 created)`,
    [
      flawAtLeast('10 concurrent registrations take ~1 s on the loop (>= 0.5 s)', onOk ? m.onLoop.wallMs : undefined, 500, show.ms),
      fact('hashing on the loop blocks it (worst /health >= 100 ms)', onOk ? m.onLoop.worstHealthMs >= 100 : undefined, onOk ? fmtMs(m.onLoop.worstHealthMs) : `${m.onLoop.created}/10 registered`),
      lowerIsBetter('off the loop the server stays responsive (worst /health < 50 ms)', offOk ? m.offLoop.worstHealthMs : undefined, 50, show.ms, { strict: true }),
    ],
    { wallOnLoopMs: m.onLoop.wallMs, wallOffLoopMs: m.offLoop.wallMs, worstHealthOnLoopMs: m.onLoop.worstHealthMs, worstHealthOffLoopMs: m.offLoop.worstHealthMs },
  );
}

/**
 * NV-8: 10 concurrent registrations straight to the auth service (the gateway's register limit is
 * 3 per hour per IP), hashing on the event loop vs on the thread pool; meanwhile a /health probe
 * every 10 ms shows how long the loop was blocked.
 */
export const nv8Hashing: ClaimProbe = {
  id: 'nv-8-hashing',
  claimIds: ['NV-8'],
  description: 'registers 10 users at once against the auth service with hash-off-loop off, then on; probes /health meanwhile',
  profiles: ['smoke', 'full'],
  async run(ctx) {
    const auth = ctx.stack.platform?.services.auth;
    if (!auth) return [{ id: 'NV-8', method: '-', measured: '-', verdict: 'NOT RUN', reason: 'the platform reports no auth service URL' }];
    const stamp = Date.now().toString(36);
    const round = async (tag: string) => {
      let probing = true;
      let worstHealthMs = 0;
      const prober = (async () => {
        while (probing) {
          const r = await http(`${auth}/health`).catch(() => undefined);
          if (r) worstHealthMs = Math.max(worstHealthMs, r.ms);
          await new Promise((res) => setTimeout(res, 10));
        }
      })();
      const t0 = performance.now();
      const statuses = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          http(`${auth}/api/auth/register`, { method: 'POST', json: { username: `nv8_${stamp}_${tag}_${i}`, email: `nv8_${stamp}_${tag}_${i}@example.test`, password: 'assessment-password' } }).then((r) => r.status),
        ),
      );
      const wallMs = performance.now() - t0;
      probing = false;
      await prober;
      return { wallMs, worstHealthMs, created: statuses.filter((s) => s === 201 || s === 200).length };
    };
    const onLoop = await ctx.withSwitches({ 'hash-off-loop': false }, () => round('on'));
    const offLoop = await ctx.withSwitches({ 'hash-off-loop': true }, () => round('off'));
    return [judgeNv8({ onLoop, offLoop })];
  },
};
