import type { ClaimProbe } from '../probe.ts';
import { fmtMs, http, repeat } from '../measure.ts';
import { higherIsBetter, judged, show, showAgainst, type ProbeResult } from '../verdict.ts';
import { n } from './lib.ts';

export interface Nf1Measurement {
  reads: number;
  perRequestP50Ms: number | undefined;
  pooledP50Ms: number | undefined;
  perRequestP99Ms?: number;
  pooledP99Ms?: number;
}

/** 50-70% less is an improvement claim: more than 70% less is better than claimed, not a refutation. */
export function judgeNf1(m: Nf1Measurement): ProbeResult {
  const { perRequestP50Ms: a, pooledP50Ms: b } = m;
  const reduction = a !== undefined && b !== undefined && a > 0 ? (a - b) / a : undefined;
  return judged(
    'NF-1',
    `switch pooling off/on (cache off); ${m.reads} GET /api/users/:id through the gateway; services reach Postgres through PgBouncer`,
    a !== undefined && b !== undefined ? `p50 ${fmtMs(a)} -> ${fmtMs(b)} (${reduction !== undefined ? showAgainst(show.pct, reduction, 0.5) : '-'} less); connection cost per request ~${fmtMs(a - b)}` : 'no successful reads',
    [higherIsBetter('50-70% less time than a connection per request', reduction, [0.5, 0.7], show.pct)],
    { perRequestP50Ms: a, pooledP50Ms: b, perRequestP99Ms: m.perRequestP99Ms, pooledP99Ms: m.pooledP99Ms, reduction },
  );
}

/**
 * NF-1: profile reads (cache off, so each read runs one query) with a connection per request vs a
 * pool. The difference per request is the connection time the pool saves (through PgBouncer, as
 * the services connect). A read that does not answer 200 fails the probe (no verdict from errors).
 */
export const nf1Pooling: ClaimProbe = {
  id: 'nf-1-pooling',
  claimIds: ['NF-1'],
  description: 'reads profiles through the gateway with pooling off (connect per query) then on, cache off',
  profiles: ['smoke', 'full'],
  async run(ctx) {
    const ids = ctx.dataset.sampleUserIds.slice(0, 20);
    const headers = { authorization: `Bearer ${await ctx.token(ids[0]!)}` };
    const reads = n(ctx, 100, 1000);
    const measure = () =>
      repeat(reads, async (i) => {
        const r = await http(`${ctx.gateway}/api/users/${ids[Math.abs(i) % ids.length]}`, { headers });
        if (r.status !== 200) throw new Error(`GET /api/users answered ${r.status}`);
      }, { warmup: 5 });
    const perRequest = await ctx.withSwitches({ pooling: false, cache: false }, measure);
    const pooled = await ctx.withSwitches({ pooling: true, cache: false }, measure);
    return [judgeNf1({ reads, perRequestP50Ms: perRequest.p50, pooledP50Ms: pooled.p50, perRequestP99Ms: perRequest.p99, pooledP99Ms: pooled.p99 })];
  },
};
