import type { RunSummary } from '../../core/index.ts';
import type { ClaimProbe } from '../probe.ts';
import { fmtMs } from '../measure.ts';
import { flawAtLeast, higherIsBetter, judged, lowerIsBetter, notRun, show, unmeasured, type Part, type ProbeResult } from '../verdict.ts';
import { endpointLatency, kneeOf, peakSockets, trend, type Knee } from './run-metrics.ts';

/** The numbers the SLI and capacity claims are judged on, read from the scenario runs. */
export interface RunFigures {
  requests: number;
  errorRate: number;
  meanMs: number;
  p95Ms: number;
  p99Ms: number;
  feedP99Ms?: number;
  searchP99Ms?: number;
  ackP99Ms?: number;
  knee?: Knee;
  peakSockets?: number;
}

export interface SliMeasurement {
  profile: string;
  posts: number;
  feedBaseline?: RunFigures;
  feedOptimized?: RunFigures;
  searchBaseline?: RunFigures;
  searchOptimized?: RunFigures;
  chatOptimized?: RunFigures;
  /** Why a run is missing (the scenario failed), by run name; '*' when the whole step failed. */
  failures: Record<string, string>;
}

export function figuresOf(run: RunSummary | undefined): RunFigures | undefined {
  if (!run || run.totals.requests === 0) return undefined;
  const feed = endpointLatency(run, 'feed');
  const search = endpointLatency(run, 'search');
  const ack = trend(run, 'chat_ack_duration');
  const knee = kneeOf(run, 500);
  const sockets = peakSockets(run);
  return {
    requests: run.totals.requests,
    errorRate: run.totals.errorRate,
    meanMs: run.totals.latencyMs.mean,
    p95Ms: run.totals.latencyMs.p95,
    p99Ms: run.totals.latencyMs.p99,
    ...(feed ? { feedP99Ms: feed.p99 } : {}),
    ...(search ? { searchP99Ms: search.p99 } : {}),
    ...(ack ? { ackP99Ms: ack.p99 } : {}),
    ...(knee ? { knee } : {}),
    ...(sockets !== undefined ? { peakSockets: sockets } : {}),
  };
}

const missing = (m: SliMeasurement, name: string) => {
  const why = m.failures[name];
  if (why) return `the ${name} run failed: ${why}`;
  // '*': the whole scenarios step failed before this run was attempted.
  return m.failures['*'] ?? `no ${name} run in this assessment`;
};

/** A capacity figure is only known where the run found the knee; otherwise the plan capped it. */
function capacityPart(label: string, knee: Knee | undefined, claimed: number, why: string): Part {
  if (!knee) return unmeasured(label, why);
  if (!knee.found && knee.peakRatePerSec < claimed) return unmeasured(label, `the plan offered at most ${knee.peakOfferedRatePerSec?.toFixed(0) ?? knee.peakRatePerSec.toFixed(0)} req/s and every second held P99 < 500 ms: a lower bound, not the capacity`);
  return higherIsBetter(label, knee.found ? knee.safeRatePerSec : knee.peakRatePerSec, claimed, show.rate);
}

export function judgeNv13(m: SliMeasurement): ProbeResult {
  const feed = m.feedOptimized;
  if (!feed) return notRun('NV-13', missing(m, 'feed-optimized'), 'scenario runs');
  const chat = m.chatOptimized;
  const search = m.searchOptimized;
  const parts: Part[] = [
    lowerIsBetter('feed P99 < 500 ms', feed.feedP99Ms ?? feed.p99Ms, 500, show.ms, { strict: true }),
    chat ? lowerIsBetter('message send P99 < 100 ms', chat.ackP99Ms, 100, show.ms, { strict: true }) : unmeasured('message send P99 < 100 ms', missing(m, 'chat-burst-optimized')),
    unmeasured('inter-service call P99 < 100 ms', 'the runs time requests at the client; per-hop latency is not recorded'),
    search ? lowerIsBetter('search P99 < 1 s', search.searchP99Ms ?? search.p99Ms, 1000, show.ms, { strict: true }) : unmeasured('search P99 < 1 s', missing(m, 'search-spike-optimized')),
    capacityPart('feed throughput > 1,000 req/s (at P99 < 500 ms)', feed.knee, 1000, 'the feed run has no per-second series'),
    chat?.peakSockets !== undefined && chat.peakSockets >= 10_000
      ? higherIsBetter('WebSocket concurrency > 10,000', chat.peakSockets, 10_000, show.n)
      : unmeasured('WebSocket concurrency > 10,000', `the chat-burst run held ${chat?.peakSockets ?? 'no'} sockets; 10,000 is the realtime benchmark's figure`),
  ];
  return judged('NV-13', `scenario runs (optimized, ${m.profile} profile): feed, search-spike, chat-burst`, parts.map((p) => `${p.label.split(/ [<>]/)[0] ?? p.label} ${p.measured}`).join('; '), parts, { feedP99Ms: feed.feedP99Ms ?? feed.p99Ms, ackP99Ms: chat?.ackP99Ms, searchP99Ms: search?.searchP99Ms, feedSafeRate: feed.knee?.safeRatePerSec });
}

export function judgeNf10(m: SliMeasurement): ProbeResult {
  const b = m.feedBaseline;
  const o = m.feedOptimized;
  if (!b || !o) return notRun('NF-10', missing(m, !b ? 'feed-baseline' : 'feed-optimized'), 'feed scenario, baseline vs optimized');
  const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
  return judged(
    'NF-10',
    `feed scenario, baseline vs optimized at the same ${m.profile} profile load`,
    `avg ${fmtMs(b.meanMs)} -> ${fmtMs(o.meanMs)}; P95 ${fmtMs(b.p95Ms)} -> ${fmtMs(o.p95Ms)}; P99 ${fmtMs(b.p99Ms)} -> ${fmtMs(o.p99Ms)}; errors ${pct(b.errorRate)} -> ${pct(o.errorRate)}; safe rate ${b.knee?.safeRatePerSec.toFixed(0) ?? '-'} -> ${o.knee?.safeRatePerSec.toFixed(0) ?? '-'} req/s`,
    [
      unmeasured('~500 -> ~5,000 concurrent users', 'the scenario offers arrivals, not users with think time'),
      capacityPart('~200 -> ~2,000 req/s (optimized >= 2,000 req/s at P99 < 500 ms)', o.knee, 2000, 'the feed run has no per-second series'),
      lowerIsBetter('avg 250 -> 50 ms (optimized <= 50 ms)', o.meanMs, 50, show.ms),
      lowerIsBetter('P95 800 -> 150 ms (optimized <= 150 ms)', o.p95Ms, 150, show.ms),
      lowerIsBetter('P99 1,500 -> 300 ms (optimized <= 300 ms)', o.p99Ms, 300, show.ms),
      lowerIsBetter('errors 2% -> 0.1% (optimized <= 0.1%)', o.errorRate, 0.001, pct),
      unmeasured('50 -> 20 DB connections', 'Postgres connections are not sampled during the scenario runs'),
    ],
    { baselineP99Ms: b.p99Ms, optimizedP99Ms: o.p99Ms, baselineRate: b.knee?.safeRatePerSec, optimizedRate: o.knee?.safeRatePerSec },
  );
}

export function judgeNv10(m: SliMeasurement): ProbeResult {
  const b = m.feedBaseline;
  if (!b) return notRun('NV-10', missing(m, 'feed-baseline'), 'feed scenario, baseline');
  const safe = b.knee;
  const near200: Part = !safe
    ? unmeasured('safe throughput ~200 req/s (baseline within 100-400)', 'the feed run has no per-second series')
    : !safe.found
      ? unmeasured('safe throughput ~200 req/s (baseline within 100-400)', `every second held P99 < 500 ms up to ${safe.peakRatePerSec.toFixed(0)} req/s: the knee is above what the plan offered`)
      : { label: 'safe throughput ~200 req/s (baseline within 100-400)', ok: safe.safeRatePerSec >= 100 && safe.safeRatePerSec <= 400, measured: show.rate(safe.safeRatePerSec) };
  return judged(
    'NV-10',
    `per-second points of the baseline feed run (${m.profile} profile) with P99 < 500 ms and no errors`,
    `highest rate meeting P99 < 500 ms: baseline ${safe?.safeRatePerSec.toFixed(0) ?? '-'} req/s${safe && !safe.found ? ' (no second broke the target)' : ''}, optimized ${m.feedOptimized?.knee?.safeRatePerSec.toFixed(0) ?? '-'} req/s`,
    [near200, unmeasured('failure mode: pool exhaustion, then breaker fallback overloading Postgres', 'pool waits and breaker states are not sampled during the scenario runs')],
    { safeBaseline: safe?.safeRatePerSec, safeOptimized: m.feedOptimized?.knee?.safeRatePerSec },
  );
}

export function judgeNv12(m: SliMeasurement): ProbeResult {
  const s = m.searchOptimized;
  const sb = m.searchBaseline;
  if (!s && !sb) return notRun('NV-12', missing(m, 'search-spike-optimized'), 'search-spike scenario');
  return judged(
    'NV-12',
    `search-spike scenario (${m.profile} profile) over ${m.posts.toLocaleString('en')} posts, not 1M; baseline uses LIKE, optimized full-text`,
    `${sb ? `baseline P99 ${fmtMs(sb.searchP99Ms ?? sb.p99Ms)}` : 'no baseline'}, ${s ? `optimized P99 ${fmtMs(s.searchP99Ms ?? s.p99Ms)}` : 'no optimized'}`,
    [
      sb ? flawAtLeast('without full-text, 50 concurrent searches give P99 > 2 s', sb.searchP99Ms ?? sb.p99Ms, 2000, show.ms) : unmeasured('without full-text, 50 concurrent searches give P99 > 2 s', missing(m, 'search-spike-baseline')),
      s ? lowerIsBetter('with full-text, the spike stays under 1 s', s.searchP99Ms ?? s.p99Ms, 1000, show.ms, { strict: true }) : unmeasured('with full-text, the spike stays under 1 s', missing(m, 'search-spike-optimized')),
    ],
    { optimizedP99Ms: s ? s.searchP99Ms ?? s.p99Ms : undefined, baselineP99Ms: sb ? sb.searchP99Ms ?? sb.p99Ms : undefined },
  );
}

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
    const f = (name: string) => figuresOf(ctx.runs[name]);
    const m: SliMeasurement = {
      profile: ctx.profile,
      posts: ctx.dataset.posts,
      failures: ctx.runFailures,
    };
    for (const [key, name] of [['feedBaseline', 'feed-baseline'], ['feedOptimized', 'feed-optimized'], ['searchBaseline', 'search-spike-baseline'], ['searchOptimized', 'search-spike-optimized'], ['chatOptimized', 'chat-burst-optimized']] as const) {
      const fig = f(name);
      if (fig) m[key] = fig;
    }
    return [judgeNv13(m), judgeNf10(m), judgeNv10(m), judgeNv12(m)];
  },
};
