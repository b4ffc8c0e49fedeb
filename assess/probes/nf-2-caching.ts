import { SQL } from '../../sql-audit/catalog.ts';
import type { ClaimProbe } from '../probe.ts';
import { fmtMs, http, repeat } from '../measure.ts';
import { callsOf, n, result } from './lib.ts';

/**
 * NF-2, LC-2: hot profile reads through the gateway with the cache switch off, then on: latency,
 * Postgres queries per read (pg_stat_statements) and hit rate over a Zipf-ish hot set.
 */
export const nf2Caching: ClaimProbe = {
  id: 'nf-2-caching',
  claimIds: ['NF-2', 'LC-2'],
  description: 'reads a hot set of profiles with cache off then on; counts get_user_profile calls in Postgres',
  profiles: ['smoke', 'full'],
  async run(ctx) {
    const hot = ctx.dataset.sampleUserIds.slice(0, 10);
    const token = await ctx.token(hot[0]!);
    const headers = { authorization: `Bearer ${token}` };
    const reads = n(ctx, 200, 2000);
    const measure = async () => {
      const before = await callsOf(ctx, SQL.get_user_profile);
      const lat = await repeat(reads, async (i) => {
        const id = hot[Math.abs(i) % hot.length]!;
        const r = await http(`${ctx.gateway}/api/users/${id}`, { headers });
        if (r.status !== 200) throw new Error(`GET /api/users/${id} answered ${r.status}`);
      });
      const queries = (await callsOf(ctx, SQL.get_user_profile)) - before;
      return { lat, queries };
    };
    const off = await ctx.withSwitches({ cache: false }, measure);
    const on = await ctx.withSwitches({ cache: true }, measure);
    const faster = 1 - on.lat.p50 / off.lat.p50;
    const fewer = off.queries > 0 ? 1 - on.queries / off.queries : 0;
    const hitRate = 1 - on.queries / reads;
    const counted = off.queries > 0;
    const method = `switch cache off/on; ${reads} GET /api/users/:id over ${hot.length} hot profiles through the gateway; Postgres calls of get_user_profile from pg_stat_statements`;
    const measured = `p50 ${fmtMs(off.lat.p50)} -> ${fmtMs(on.lat.p50)} (${(faster * 100).toFixed(0)}% faster); DB queries ${off.queries} -> ${on.queries}${counted ? ` (${(fewer * 100).toFixed(0)}% fewer)` : ''}; hit rate ${(hitRate * 100).toFixed(0)}%`;
    const values = { p50OffMs: off.lat.p50, p50OnMs: on.lat.p50, queriesOff: off.queries, queriesOn: on.queries, hitRate };
    return [
      result('NF-2', method, measured, [
        { label: 'cached reads 80-90% faster', ok: faster >= 0.8, measured: `${(faster * 100).toFixed(0)}%` },
        { label: '90% fewer DB queries', ok: counted && fewer >= 0.9, measured: counted ? `${(fewer * 100).toFixed(0)}%` : 'not counted' },
        { label: 'hit rate > 80%', ok: hitRate > 0.8, measured: `${(hitRate * 100).toFixed(0)}%` },
      ], values),
      result('LC-2', method, measured, [
        { label: 'cached endpoints 60-90% faster', ok: faster >= 0.6, measured: `${(faster * 100).toFixed(0)}%` },
        { label: 'cached 10-50 ms vs uncached 100-300 ms', ok: on.lat.p50 >= 10 && on.lat.p50 <= 50 && off.lat.p50 >= 100 && off.lat.p50 <= 300, measured: `${fmtMs(on.lat.p50)} vs ${fmtMs(off.lat.p50)}` },
        { label: 'profile hit rate 80-90%', ok: hitRate >= 0.8, measured: `${(hitRate * 100).toFixed(0)}%` },
      ], values),
    ];
  },
};
