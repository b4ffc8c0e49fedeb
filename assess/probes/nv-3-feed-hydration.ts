import { SQL } from '../../sql-audit/index.ts';
import type { ClaimProbe } from '../probe.ts';
import { fmtMs, http, repeat } from '../measure.ts';
import { callsOf, hasNode, n, planNodes } from './lib.ts';
import { fact, judged, type ProbeResult } from '../verdict.ts';

export interface Nv3Measurement {
  requests: number;
  /** Hydration queries per feed request (pg_stat_statements), N+1 then batched. */
  perRequestOff: number;
  perRequestOn: number;
  p50OffMs: number;
  p50OnMs: number;
  seqScanWithout: boolean;
  usesIndex: boolean;
}

/** Zero hydration queries in both runs means the counters saw nothing: not evidence of batching. */
export function judgeNv3(m: Nv3Measurement): ProbeResult {
  const counted = m.perRequestOff > 0;
  return judged(
    'NV-3',
    `switches batched-hydration and idx-follows-follower off/on (cache off); ${m.requests} GET /api/feed?limit=20; hydration calls from pg_stat_statements; EXPLAIN of fetch_chronological_feed`,
    `hydration queries per feed: ${m.perRequestOff.toFixed(1)} -> ${m.perRequestOn.toFixed(1)}; feed p50 ${fmtMs(m.p50OffMs)} -> ${fmtMs(m.p50OnMs)}; follows ${m.seqScanWithout ? 'seq-scanned' : 'not seq-scanned'} without the index, ${m.usesIndex ? 'read by' : 'not read by'} follows_follower_followee_idx with it`,
    [
      fact('author hydration is one batched query (= ANY($1)), not one per post', counted ? m.perRequestOn <= 1.01 && m.perRequestOff > 1.5 : undefined, counted ? `${m.perRequestOff.toFixed(1)} -> ${m.perRequestOn.toFixed(1)} per request` : 'not measured: pg_stat_statements counted no hydration query'),
      fact('the feed reads follows(follower_id, followee_id)', m.usesIndex, m.usesIndex ? 'index used' : 'index not used'),
    ],
    { hydrationPerRequestOff: m.perRequestOff, hydrationPerRequestOn: m.perRequestOn, feedP50OffMs: m.p50OffMs, feedP50OnMs: m.p50OnMs },
  );
}

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
    return [judgeNv3({ requests, perRequestOff: nPlus1.perRequest, perRequestOn: batched.perRequest, p50OffMs: nPlus1.lat.p50, p50OnMs: batched.lat.p50, seqScanWithout, usesIndex })];
  },
};
