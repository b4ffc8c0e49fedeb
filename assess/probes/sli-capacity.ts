import type { ClaimProbe } from '../probe.ts';
import { fmtMs } from '../measure.ts';
import { result } from './lib.ts';
import { endpointLatency, safeThroughput, trend } from './run-metrics.ts';

/**
 * NV-13, NF-10, NV-10, NV-12: read from the scenario runs made earlier in the assessment
 * (feed, search-spike, chat-burst; baseline and optimized), at the profile's load.
 */
export const sliCapacity: ClaimProbe = {
  id: 'sli-capacity',
  claimIds: ['NV-13', 'NF-10', 'NV-10', 'NV-12'],
  description: 'compares the scenario runs of this assessment with the SLI targets and capacity claims',
  profiles: ['smoke', 'full'],
  async run(ctx) {
    const feedB = ctx.runs['feed-baseline'];
    const feedO = ctx.runs['feed-optimized'];
    const search = ctx.runs['search-spike-optimized'];
    const searchB = ctx.runs['search-spike-baseline'];
    const chat = ctx.runs['chat-burst-optimized'];
    const out = [];
    const load = `${ctx.profile} profile`;
    if (feedO) {
      const feed = endpointLatency(feedO, 'feed') ?? feedO.totals.latencyMs;
      const s = endpointLatency(search, 'search');
      const ack = trend(chat, 'chat_ack_duration');
      const parts = [
        { label: 'feed P99 < 500 ms', ok: feed.p99 < 500, measured: fmtMs(feed.p99) },
        ...(ack ? [{ label: 'message send P99 < 100 ms', ok: ack.p99 < 100, measured: fmtMs(ack.p99) }] : []),
        ...(s ? [{ label: 'search P99 < 1 s', ok: s.p99 < 1000, measured: fmtMs(s.p99) }] : []),
        { label: 'error rate < 0.1%', ok: feedO.totals.errorRate < 0.001, measured: `${(feedO.totals.errorRate * 100).toFixed(2)}%` },
      ];
      out.push(result('NV-13', `scenario runs (optimized, ${load}): feed, search-spike, chat-burst; feed throughput > 1,000 req/s and 10,000 WebSockets need the stress profile and are not judged here`, parts.map((p) => `${p.label.split(' <')[0]} ${p.measured}`).join('; '), parts, { feedP99Ms: feed.p99, ...(ack ? { ackP99Ms: ack.p99 } : {}), ...(s ? { searchP99Ms: s.p99 } : {}) }));
    } else {
      out.push({ id: 'NV-13', method: 'scenario runs', measured: '-', verdict: 'NOT RUN' as const, reason: 'no optimized feed run in this assessment' });
    }
    if (feedB && feedO) {
      const b = feedB.totals;
      const o = feedO.totals;
      out.push(result(
        'NF-10',
        `feed scenario, baseline vs optimized at the same ${load} (${feedO.card.profile}); user counts of 500/5,000 are not reachable on one 2-core machine`,
        `avg ${fmtMs(b.latencyMs.mean)} -> ${fmtMs(o.latencyMs.mean)}; P95 ${fmtMs(b.latencyMs.p95)} -> ${fmtMs(o.latencyMs.p95)}; P99 ${fmtMs(b.latencyMs.p99)} -> ${fmtMs(o.latencyMs.p99)}; errors ${(b.errorRate * 100).toFixed(2)}% -> ${(o.errorRate * 100).toFixed(2)}%; ${b.ratePerSec.toFixed(0)} -> ${o.ratePerSec.toFixed(0)} req/s`,
        [
          { label: 'avg 250 -> 50 ms (optimized avg <= 50 ms)', ok: o.latencyMs.mean <= 50, measured: fmtMs(o.latencyMs.mean) },
          { label: 'P95 800 -> 150 ms (optimized P95 <= 150 ms)', ok: o.latencyMs.p95 <= 150, measured: fmtMs(o.latencyMs.p95) },
          { label: 'P99 1,500 -> 300 ms (optimized P99 <= 300 ms)', ok: o.latencyMs.p99 <= 300, measured: fmtMs(o.latencyMs.p99) },
          { label: 'optimized better than baseline at P99', ok: o.latencyMs.p99 < b.latencyMs.p99, measured: `${fmtMs(b.latencyMs.p99)} -> ${fmtMs(o.latencyMs.p99)}` },
          { label: 'errors 2% -> 0.1%', ok: o.errorRate <= 0.001, measured: `${(o.errorRate * 100).toFixed(2)}%` },
        ],
        { baselineP99Ms: b.latencyMs.p99, optimizedP99Ms: o.latencyMs.p99, baselineRate: b.ratePerSec, optimizedRate: o.ratePerSec },
      ));
      const safeB = safeThroughput(feedB, 500);
      const safeO = safeThroughput(feedO, 500);
      out.push(result(
        'NV-10',
        `per-second points of the feed runs with P99 < 500 ms and no errors (${load}: the rate offered is the profile's, so this is a lower bound of the knee)`,
        `highest rate meeting P99 < 500 ms: baseline ${safeB?.toFixed(0) ?? '-'} req/s, optimized ${safeO?.toFixed(0) ?? '-'} req/s`,
        [{ label: 'safe throughput ~200 req/s (baseline within 100-400)', ok: safeB !== undefined && safeB >= 100 && safeB <= 400, measured: `${safeB?.toFixed(0) ?? '-'} req/s` }],
        { safeBaseline: safeB ?? 0, safeOptimized: safeO ?? 0 },
      ));
    }
    if (search) {
      const s = endpointLatency(search, 'search') ?? search.totals.latencyMs;
      const sb = searchB ? endpointLatency(searchB, 'search') ?? searchB.totals.latencyMs : undefined;
      out.push(result(
        'NV-12',
        `search-spike scenario (${load}) over ${ctx.dataset.posts.toLocaleString('en')} posts, not 1M; baseline uses LIKE, optimized full-text`,
        `${sb ? `baseline P99 ${fmtMs(sb.p99)}, ` : ''}optimized P99 ${fmtMs(s.p99)}`,
        [
          ...(sb ? [{ label: 'without full-text, the spike gives P99 > 2 s', ok: sb.p99 > 2000, measured: fmtMs(sb.p99) }] : []),
          { label: 'with full-text, the spike stays under 1 s', ok: s.p99 < 1000, measured: fmtMs(s.p99) },
        ],
        { optimizedP99Ms: s.p99, ...(sb ? { baselineP99Ms: sb.p99 } : {}) },
      ));
    }
    return out;
  },
};
