import { SQL } from '../../sql-audit/catalog.ts';
import type { ClaimProbe } from '../probe.ts';
import { fmtMs, http, repeat } from '../measure.ts';
import { callsOf, hasNode, n, planNodes, result } from './lib.ts';

/** NV-3: the feed's author hydration (N+1 vs one = ANY($1) query) and the follows(follower_id) index. */
export const nv3FeedHydration: ClaimProbe = {
  id: 'nv-3-feed-hydration',
  claimIds: ['NV-3'],
  description: 'counts hydration queries per feed request with batched-hydration off/on, and plans the feed with idx-follows-follower off/on',
  profiles: ['smoke', 'full'],
  async run(ctx) {
    const reader = ctx.dataset.sampleUserIds[1]!;
    const headers = { authorization: `Bearer ${await ctx.token(reader)}` };
    const requests = n(ctx, 20, 100);
    const measure = async () => {
      const single0 = await callsOf(ctx, SQL.hydrate_author);
      const batch0 = await callsOf(ctx, SQL.hydrate_authors);
      const lat = await repeat(requests, async () => {
        const r = await http(`${ctx.gateway}/api/feed?limit=20`, { headers });
        if (r.status !== 200) throw new Error(`GET /api/feed answered ${r.status}`);
      });
      return { lat, perRequest: ((await callsOf(ctx, SQL.hydrate_author)) - single0 + (await callsOf(ctx, SQL.hydrate_authors)) - batch0) / requests };
    };
    const nPlus1 = await ctx.withSwitches({ cache: false, 'batched-hydration': false }, measure);
    const batched = await ctx.withSwitches({ cache: false, 'batched-hydration': true }, measure);
    const seqScanWithout = await ctx.withSwitches({ 'idx-follows-follower': false }, async () => hasNode(await planNodes(ctx, SQL.fetch_chronological_feed, [reader, 20]), 'Seq Scan'));
    const nodesWith = await ctx.withSwitches({ 'idx-follows-follower': true }, () => planNodes(ctx, SQL.fetch_chronological_feed, [reader, 20]));
    const usesIndex = nodesWith.some((x) => x['Index Name'] === 'follows_follower_followee_idx');
    return [
      result(
        'NV-3',
        `switches batched-hydration and idx-follows-follower off/on (cache off); ${requests} GET /api/feed?limit=20; hydration calls from pg_stat_statements; EXPLAIN of fetch_chronological_feed`,
        `hydration queries per feed: ${nPlus1.perRequest.toFixed(1)} -> ${batched.perRequest.toFixed(1)}; feed p50 ${fmtMs(nPlus1.lat.p50)} -> ${fmtMs(batched.lat.p50)}; follows ${seqScanWithout ? 'seq-scanned' : 'not seq-scanned'} without the index, ${usesIndex ? 'read by' : 'not read by'} follows_follower_followee_idx with it`,
        [
          { label: 'hydration is one batched query', ok: batched.perRequest <= 1.01 && nPlus1.perRequest > 1.5, measured: `${nPlus1.perRequest.toFixed(1)} -> ${batched.perRequest.toFixed(1)} per request` },
          { label: 'the feed needs follows(follower_id, followee_id)', ok: usesIndex, measured: usesIndex ? 'index used' : 'index not used' },
        ],
        { hydrationPerRequestOff: nPlus1.perRequest, hydrationPerRequestOn: batched.perRequest, feedP50OffMs: nPlus1.lat.p50, feedP50OnMs: batched.lat.p50 },
      ),
    ];
  },
};
