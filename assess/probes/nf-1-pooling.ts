import type { ClaimProbe } from '../probe.ts';
import { fmtMs, http, repeat } from '../measure.ts';
import { n, result } from './lib.ts';

/**
 * NF-1: profile reads (cache off, so each read runs one query) with a connection per request vs a
 * pool. The difference per request is the connection time the pool saves (through PgBouncer, as
 * the services connect).
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
    const saved = perRequest.p50 - pooled.p50;
    const reduction = saved / perRequest.p50;
    return [
      result(
        'NF-1',
        `switch pooling off/on (cache off); ${reads} GET /api/users/:id through the gateway; services reach Postgres through PgBouncer`,
        `p50 ${fmtMs(perRequest.p50)} -> ${fmtMs(pooled.p50)} (${(reduction * 100).toFixed(0)}% less), p99 ${fmtMs(perRequest.p99)} -> ${fmtMs(pooled.p99)}; connection cost per request ~${fmtMs(saved)}`,
        [{ label: '50-70% less time than a connection per request', ok: reduction >= 0.5 && reduction <= 0.7, measured: `${(reduction * 100).toFixed(0)}%` }],
        { perRequestP50Ms: perRequest.p50, pooledP50Ms: pooled.p50, reduction },
      ),
    ];
  },
};
