/**
 * Each probe's verdict function on literal measurements, the fail-open cases of issue 13 included:
 * missing targets, zero counters, every request refused, a failed run.
 */
import { describe, expect, it } from 'vitest';
import { judgeNf1 } from './nf-1-pooling.ts';
import { judgeNf2 } from './nf-2-caching.ts';
import { judgeNf4 } from './nf-4-compression.ts';
import { judgeNf5 } from './nf-5-breaker.ts';
import { judgeNf13 } from './nf-13-newfeed-indexes.ts';
import { judgeNv1 } from './nv-1-user-posts-index.ts';
import { judgeNv3 } from './nv-3-feed-hydration.ts';
import { judgeNv5 } from './nv-5-service-timeouts.ts';
import { judgeNv8 } from './nv-8-hashing.ts';
import { judgeNv9 } from './nv-9-stampede.ts';
import { judgeCp5, type SearchRun } from './cp-5-search.ts';
import { judgeNf12, judgeNv6, type PoolLoad } from './pgbouncer-connections.ts';
import { judgeNf10, judgeNv10, judgeNv12, judgeNv13, type RunFigures, type SliMeasurement } from './sli-capacity.ts';

const noUnmeasuredConfirm = (r: { verdict: string; reason: string }) => {
  if (r.verdict === 'CONFIRMED') expect(r.reason).not.toMatch(/not judged|not measured|not run/i);
};

describe('ranges read one way: better than claimed is CONFIRMED', () => {
  it('NF-1: 85% less connection time than claimed 50-70% is CONFIRMED, better than claimed', () => {
    const r = judgeNf1({ reads: 100, perRequestP50Ms: 10, pooledP50Ms: 1.5 });
    expect(r.verdict).toBe('CONFIRMED');
    expect(r.reason).toContain('better than claimed');
  });
  it('NF-1: 20% less is REFUTED', () => expect(judgeNf1({ reads: 100, perRequestP50Ms: 10, pooledP50Ms: 8 }).verdict).toBe('REFUTED'));

  it('NF-4: 90% smaller and +0.3 ms is CONFIRMED (better and cheaper than claimed); +9 ms is a refuted cost', () => {
    const good = judgeNf4({ runs: 50, bytesOff: 10_000, bytesOn: 1_000, encodingOn: 'gzip', p50OffMs: 1, p50OnMs: 1.3 });
    expect(good.verdict).toBe('CONFIRMED');
    expect(good.reason).toContain('better than claimed');
    expect(good.reason).toContain('cheaper than claimed');
    expect(judgeNf4({ runs: 50, bytesOff: 10_000, bytesOn: 3_000, encodingOn: 'gzip', p50OffMs: 1, p50OnMs: 10 }).verdict).toBe('PARTLY');
  });
  it('NF-4: an answer that was not gzip is not a saving', () => {
    expect(judgeNf4({ runs: 50, bytesOff: 10_000, bytesOn: 10_000, encodingOn: 'identity', p50OffMs: 1, p50OnMs: 1 }).verdict).toBe('PARTLY');
  });

  it('NF-13 / LC-3: 95% faster is CONFIRMED for LC-3\'s 50-80%', () => {
    const t = { beforeP50Ms: 100, afterP50Ms: 5 };
    const [nf13, lc3] = judgeNf13({ runs: 10, commentsPostId: t, commentsAuthorId: t, postsCreatedAt: t, postsAuthorIdUsed: true, partial: t, composite: t });
    expect(nf13!.verdict).toBe('CONFIRMED');
    expect(lc3!.verdict).toBe('CONFIRMED');
    expect(lc3!.reason).toContain('better than claimed');
  });
  it('NF-13 / LC-3: a query that could not be timed leaves the claim PARTLY, never CONFIRMED', () => {
    const t = { beforeP50Ms: 100, afterP50Ms: 5 };
    const [, lc3] = judgeNf13({ runs: 10, commentsPostId: t, commentsAuthorId: t, postsCreatedAt: t, postsAuthorIdUsed: true, partial: t, composite: { beforeP50Ms: Number.NaN, afterP50Ms: Number.NaN } });
    expect(lc3!.verdict).toBe('PARTLY');
  });

  it('NF-2 / LC-2: cached 95% faster with a 93% hit rate reads the same way in both', () => {
    const m = {
      keys: 1000, zipfExponent: 1,
      profileOff: { reads: 300, queries: 300, p50Ms: 120 },
      profileOn: { reads: 300, queries: 20, p50Ms: 6 },
      feedOn: { reads: 150, queries: 30, p50Ms: 5 },
      searchOn: { reads: 150, queries: 45, p50Ms: 5 },
    };
    const [nf2, lc2] = judgeNf2(m);
    expect(nf2!.verdict).toBe('CONFIRMED');
    expect(nf2!.reason).toContain('better than claimed');
    expect(lc2!.verdict).toBe('CONFIRMED');
  });
});

describe('fail-open cases are closed', () => {
  it('NF-2: pg_stat_statements counting nothing is not a 100% hit rate', () => {
    const [nf2, lc2] = judgeNf2({ keys: 10, zipfExponent: 1, profileOff: { reads: 200, queries: 0, p50Ms: 10 }, profileOn: { reads: 200, queries: 0, p50Ms: 1 }, feedOn: 'the reads failed: 503', searchOn: 'x' });
    expect(nf2!.verdict).toBe('PARTLY');
    expect(nf2!.reason).toContain('not measured: 90% fewer DB queries');
    expect(nf2!.values!.hitRate).toBeUndefined();
    expect(lc2!.verdict).not.toBe('CONFIRMED');
  });

  it('CP-5: every search answered 429/503 is NOT RUN, not a fast search', () => {
    const refused: SearchRun = { ok: 0, notOk: 20, statuses: { 429: 20 }, p50Ms: undefined };
    const fine: SearchRun = { ok: 20, notOk: 0, statuses: {}, p50Ms: 50 };
    const r = judgeCp5({ runs: 20, postsOff: fine, postsOn: refused, usersOff: fine, usersOn: { ...refused, statuses: { 503: 20 } } });
    expect(r.verdict).toBe('NOT RUN');
    expect(r.reason).toContain('20 of 20 searches answered 429');
    expect(judgeCp5({ runs: 20, postsOff: fine, postsOn: { ...fine, p50Ms: 2 }, usersOff: fine, usersOn: { ...fine, notOk: 1, statuses: { 503: 1 } } }).verdict).toBe('PARTLY');
  });

  it('NV-9: one rebuild while most locked requests failed is not a fix; zero counters are NOT RUN', () => {
    expect(judgeNv9({ concurrent: 200, off: { rebuilds: 190, ok: 200 }, on: { rebuilds: 1, ok: 200 } }).verdict).toBe('CONFIRMED');
    const failing = judgeNv9({ concurrent: 200, off: { rebuilds: 190, ok: 200 }, on: { rebuilds: 1, ok: 40 } });
    expect(failing.verdict).toBe('PARTLY');
    expect(failing.reason).toContain('40/200 answered 200');
    expect(judgeNv9({ concurrent: 200, off: { rebuilds: 0, ok: 200 }, on: { rebuilds: 0, ok: 200 } }).verdict).toBe('NOT RUN');
  });

  it('NV-6: pools that ran no query are NOT RUN; 225 clients on 25 servers is CONFIRMED, better than claimed', () => {
    const load = (over: Partial<PoolLoad>): PoolLoad => ({ pools: 6, perPool: [20, 10, 10, 10, 20, 20], clients: 90, queries: 1000, errors: 0, peakServerConnections: 25, peakClientConnections: 90, peakWaiting: 60, ...over });
    const flood = { attempted: 1100, accepted: 999, served: 999, platformClients: 1, config: {} };
    const good = judgeNv6({ flood, novaBudget: load({}), standardized: load({ pools: 15, perPool: Array(15).fill(15), clients: 225, peakClientConnections: 225 }), maxDbConnections: 100 });
    expect(good.verdict).toBe('CONFIRMED');
    expect(good.reason).toContain('better than claimed');
    expect(judgeNv6({ flood, novaBudget: load({ queries: 0 }), standardized: load({ queries: 0 }), maxDbConnections: 100 }).verdict).toBe('NOT RUN');
  });

  it('NF-12: 1,000 clients held then refused is REFUTED; a PgBouncer configured otherwise is NOT RUN', () => {
    const config = { pool_mode: 'transaction', max_client_conn: '1000', default_pool_size: '25', max_db_connections: '100' };
    const r = judgeNf12({ attempted: 1100, accepted: 990, served: 990, platformClients: 10, firstRefusal: 'no more connections allowed (max_client_conn)', config });
    expect(r.verdict).toBe('REFUTED');
    expect(r.measured).toContain('no more connections allowed');
    expect(judgeNf12({ attempted: 1100, accepted: 990, served: 990, platformClients: 10, config: { ...config, max_client_conn: '20000' } }).verdict).toBe('NOT RUN');
  });

  it('NV-3: zero hydration queries counted is not evidence of batching', () => {
    const m = { requests: 20, perRequestOff: 0, perRequestOn: 0, p50OffMs: 5, p50OnMs: 5, seqScanWithout: true, usesIndex: true };
    expect(judgeNv3(m).verdict).toBe('PARTLY');
    expect(judgeNv3({ ...m, perRequestOff: 20, perRequestOn: 1 }).verdict).toBe('CONFIRMED');
  });

  it('NV-8: rounds where registrations failed measure nothing', () => {
    const failed = { wallMs: 2, worstHealthMs: 1, created: 0 };
    expect(judgeNv8({ onLoop: failed, offLoop: failed }).verdict).toBe('NOT RUN');
    expect(judgeNv8({ onLoop: { wallMs: 1100, worstHealthMs: 900, created: 10 }, offLoop: { wallMs: 300, worstHealthMs: 4, created: 10 } }).verdict).toBe('CONFIRMED');
  });

  it('NV-1: a fast baseline fails the claimed flaw even when the fix holds', () => {
    const r = judgeNv1({ runs: 20, smallPosts: 10_000, largePosts: 100_000, before: { smallP50Ms: 40, largeP99Ms: 300, sort: true }, after: { smallP50Ms: 0.1, largeP50Ms: 0.1, largeP99Ms: 0.3, sort: false } });
    expect(r.verdict).toBe('PARTLY');
    expect(r.reason).toMatch(/failed: baseline > 500 ms/);
  });

  it('NF-5: the breaker that never opened leaves "fails in < 1 ms" unmeasured; the fixed window earns it', () => {
    const base = { noBreakerWaitMs: 10_010, documentWindowState: 'closed', fixedWindowState: 'closed', timeToOpenMs: undefined, fastCalls: 20, openP50Ms: undefined, openMaxMs: undefined, openStatuses: [], recoveryMs: undefined };
    const never = judgeNf5(base);
    expect(never.verdict).toBe('PARTLY');
    expect(never.reason).toContain('not measured: once open');
    const fixed = judgeNf5({ ...base, fixedWindowState: 'open', timeToOpenMs: 10_100, openP50Ms: 0.6, openMaxMs: 2, openStatuses: [503], recoveryMs: 31_000 });
    expect(fixed.verdict).toBe('PARTLY'); // the document's own configuration still never opens
    expect(fixed.reason).toMatch(/failed: NewFeed's configuration opens the breaker/);
    expect(judgeNf5({ ...base, fixedWindowState: 'open', openP50Ms: 0.6, openStatuses: [503, 429] }).reason).toContain('not measured');
  });

  it('NV-5: a call that was not cut with 504 measures no timeout', () => {
    const c = (ms: number, status = 504) => ({ ms, status });
    expect(judgeNv5({ blanket: { users: c(30_010), posts: c(30_010) }, perService: { users: c(5_010), posts: c(10_010) } }).verdict).toBe('CONFIRMED');
    expect(judgeNv5({ blanket: { users: c(10_010), posts: c(10_010) }, perService: { users: c(5_010), posts: c(10_010) } }).verdict).toBe('PARTLY');
    expect(judgeNv5({ blanket: { users: c(3, 200), posts: c(3, 200) }, perService: { users: c(3, 200), posts: c(3, 200) } }).verdict).toBe('NOT RUN');
  });
});

describe('SLI and capacity claims', () => {
  const fig = (over: Partial<RunFigures> = {}): RunFigures => ({ requests: 1000, errorRate: 0, meanMs: 20, p95Ms: 60, p99Ms: 120, feedP99Ms: 120, searchP99Ms: 300, ackP99Ms: 20, knee: { safeRatePerSec: 300, found: true, peakRatePerSec: 350 }, peakSockets: 100, ...over });
  const m = (over: Partial<SliMeasurement> = {}): SliMeasurement => ({ profile: 'smoke', posts: 150_000, feedBaseline: fig(), feedOptimized: fig(), searchBaseline: fig({ searchP99Ms: 2500 }), searchOptimized: fig(), chatOptimized: fig(), failures: {}, ...over });

  it('NV-13 is never CONFIRMED while throughput, WebSockets or inter-service latency are unmeasured or short', () => {
    const r = judgeNv13(m());
    expect(r.verdict).toBe('PARTLY');
    expect(r.reason).toContain('failed: feed throughput > 1,000 req/s');
    expect(r.reason).toContain('not measured: inter-service call P99');
    expect(r.reason).toContain('WebSocket concurrency > 10,000');
    expect(r.reason).not.toContain('error rate');
  });

  it('NF-10: an optimized feed whose knee is 300 req/s fails ~2,000 req/s; a plan that never reached the knee leaves it unmeasured', () => {
    expect(judgeNf10(m()).reason).toContain('failed: ~200 -> ~2,000 req/s');
    const capped = judgeNf10(m({ feedOptimized: fig({ knee: { safeRatePerSec: 400, found: false, peakRatePerSec: 400, peakOfferedRatePerSec: 400 } }) }));
    expect(capped.reason).toContain('the plan offered at most 400 req/s');
    expect(capped.verdict).not.toBe('CONFIRMED');
  });

  it('a failed scenario run gives NOT RUN with the true reason', () => {
    const r = judgeNv13(m({ feedOptimized: undefined, failures: { 'feed-optimized': 'the engine crashed' } }));
    expect(r).toMatchObject({ verdict: 'NOT RUN', reason: 'the feed-optimized run failed: the engine crashed' });
    expect(judgeNf10(m({ feedBaseline: undefined, failures: { '*': 'the scenarios step failed: boom' } })).reason).toBe('the scenarios step failed: boom');
    expect(judgeNv10(m({ feedBaseline: undefined })).verdict).toBe('NOT RUN');
    expect(judgeNv12(m({ searchBaseline: undefined, searchOptimized: undefined })).verdict).toBe('NOT RUN');
  });

  it('NV-12: baseline P99 2.5 s and optimized 0.3 s hold both parts', () => {
    expect(judgeNv12(m()).verdict).toBe('CONFIRMED');
  });

  it('no CONFIRMED reason admits an unmeasured part', () => {
    for (const r of [judgeNv13(m()), judgeNf10(m()), judgeNv10(m()), judgeNv12(m())]) noUnmeasuredConfirm(r);
  });
});

import { judgeNf3 } from './nf-3-combined.ts';
import { judgeNf6 } from './nf-6-rate-limit.ts';
import { judgeCp10, judgeNf7 } from './gateway-cost.ts';
import { judgeLc1 } from './lc-1-cache-aside.ts';
import { judgeCp4 } from './cp-4-auth.ts';
import { judgeCp7 } from './cp-7-story-cleanup.ts';
import { judgeCp2, judgeMo2 } from './pool-settings.ts';
import { judgeMo1 } from './mo-1-shared-pool.ts';
import { judgeNv4, type RankingPhase } from './nv-4-statement-timeouts.ts';
import { judgeMo3, judgeNf11, judgeNf14, type CrowdRun } from './thousand-users.ts';

describe('the probes added for NOT RUN claims', () => {
  it('NF-3: 6x is better than claimed; 2x is REFUTED', () => {
    expect(judgeNf3({ requests: 100, offMeanMs: 60, onMeanMs: 10, offP95Ms: 1, onP95Ms: 1 }).reason).toContain('better than claimed');
    expect(judgeNf3({ requests: 100, offMeanMs: 20, onMeanMs: 10, offP95Ms: 1, onP95Ms: 1 }).verdict).toBe('REFUTED');
  });

  it('NF-6: +0.2 ms per check is cheaper than claimed; 10 logins over two gateways is not "correct"', () => {
    const m = { checks: 300, redisCheckP50Ms: 0.2, memoryCheckP50Ms: 0.01, tries: 12, allowedShared: 5, allowedPerProcess: 10 };
    expect(judgeNf6(m).verdict).toBe('CONFIRMED');
    expect(judgeNf6(m).reason).toContain('cheaper than claimed');
    expect(judgeNf6({ ...m, allowedShared: 10 }).verdict).toBe('PARTLY');
    expect(judgeNf6({ ...m, redisCheckP50Ms: 4.5 }).reason).toContain('failed: +1-3 ms per check');
  });

  it('NF-7: the overhead is judged, 10,000 req/s stays unmeasured with a per-core model; CP-10 carries the model', () => {
    const m = { requests: 60, readOffP50Ms: 5, readOnP50Ms: 6, writeOffP50Ms: 10, writeOnP50Ms: 11, cpuMsPerRequest: 2 };
    const r = judgeNf7(m);
    expect(r.verdict).toBe('PARTLY');
    expect(r.reason).toContain('not measured: 10,000+ req/s');
    expect(r.modelEstimate).toBe('500 req/s per core (whole platform, cached read); 10,000 req/s ~ 20 cores');
    expect(judgeCp10(m)).toMatchObject({ verdict: 'NOT MEASURABLE HERE' });
    expect(judgeCp10(m).modelEstimate).toContain('50,000 req/s ~ 100 cores');
    expect(judgeCp10({ ...m, cpuMsPerRequest: undefined }).modelEstimate).toBeUndefined();
  });

  it('LC-1: a family whose key was never found is not measured, so the claim is not CONFIRMED', () => {
    const m = { ttlS: { profile: 598, search: 299, feed: 119, comments: 179 }, profileFresh: true, commentFresh: true, redisDownReads: 20, redisDownOk: 20 };
    expect(judgeLc1(m).verdict).toBe('CONFIRMED');
    expect(judgeLc1({ ...m, ttlS: { ...m.ttlS, feed: undefined } }).verdict).toBe('PARTLY');
    expect(judgeLc1({ ...m, redisDownOk: 12 }).reason).toContain('failed: graceful fallback');
    expect(judgeLc1({ ...m, ttlS: { ...m.ttlS, profile: 3600 } }).reason).toContain('failed: profile 10 min');
  });

  it('CP-4: measured lifetimes, rotation and limits; a login limit never reached is a failure, not a pass', () => {
    const m = { accessTtlS: 900, refreshTtlS: 604_790, refreshStatus: 200, reuseStatus: 401, loginsAllowed: 5, loginTries: 7, loginRefusedWith: 429, signupsAllowed: 10, signupTries: 11 };
    expect(judgeCp4(m).verdict).toBe('CONFIRMED');
    expect(judgeCp4({ ...m, loginsAllowed: 7, loginRefusedWith: undefined }).reason).toContain('failed: login 5 per 15 min');
    expect(judgeCp4({ ...m, signupsAllowed: 3 }).reason).toContain('failed: signup 10 per hour');
    expect(judgeCp4({ ...m, refreshTtlS: undefined }).reason).toContain('failed: 7 day refresh tokens');
  });

  it('CP-7: a schedule nobody observed keeps the claim PARTLY', () => {
    const r = judgeCp7({ expired: 1027, batched: { mode: 'batched', deletedRows: 1027, batches: 2, durationMs: 10 }, single: { mode: 'single', deletedRows: 1027, batches: 1, durationMs: 2 }, concurrentSkipped: 1, indexUsedWith: true, indexUsedWithout: false });
    expect(r.verdict).toBe('PARTLY');
    expect(r.reason).toContain('not measured: every 15 min');
    expect(r.reason).not.toContain('failed');
  });

  it('CP-2 / MO-2: the settings exercised; a wait that never timed out is not a pool_timeout', () => {
    expect(judgeCp2({ concurrent: 60, peakClients: 50, idleDrainMs: 30_500, clientsAfterIdle: 10, connectFailMs: 2_001 }).verdict).toBe('CONFIRMED');
    expect(judgeCp2({ concurrent: 60, peakClients: 50, idleDrainMs: 30_500, clientsAfterIdle: 0, connectFailMs: 2_001 }).reason).toContain('failed: min 10');
    expect(judgeMo2({ peakClients: 20, waitFailMs: 20_010, waitError: 'timeout exceeded when trying to connect' }).verdict).toBe('CONFIRMED');
    expect(judgeMo2({ peakClients: 20, waitFailMs: 3, waitError: 'ECONNREFUSED' }).verdict).toBe('PARTLY');
  });

  it('MO-1: per-module pools that open no more connections than shared ones do not show the flaw', () => {
    const phase = (peakClients: number, pools: number, failed = 0) => ({ requests: 400, failed, peakClients, pools });
    expect(judgeMo1({ perModule: phase(150, 10), shared: phase(40, 5), maxConnections: 100, services: 6 }).verdict).toBe('CONFIRMED');
    expect(judgeMo1({ perModule: phase(31, 6), shared: phase(39, 4), maxConnections: 200, services: 6 }).verdict).toBe('PARTLY');
  });

  it('NV-4: the timeout and fallback held but five calls starved of a connection fail "keeps answering"', () => {
    const p = (o: Partial<RankingPhase>): RankingPhase => ({ heldMs: 9_000, calls: 20, maxMs: 9_050, minMs: 9_000, degraded: 0, ok: 15, failedStatuses: [503, 503, 503, 503, 503], poolInUsePeak: 15, poolWaitingPeak: 5, poolMax: 15, ...o });
    const r = judgeNv4({ off: p({}), on: p({ maxMs: 5_100, minMs: 5_000, degraded: 15 }) });
    expect(r.verdict).toBe('PARTLY');
    expect(r.reason).toContain('failed: which keeps every call answering');
    expect(judgeNv4({ off: p({}), on: p({ maxMs: 5_100, minMs: 5_000, degraded: 20, ok: 20, failedStatuses: [] }) }).verdict).toBe('CONFIRMED');
  });

  it('NV-4: a phase where no call got a 200 shows "0 answered", never a NaN time range', () => {
    const p = (o: Partial<RankingPhase>): RankingPhase => ({ heldMs: 9_000, calls: 20, maxMs: Number.NaN, minMs: Number.NaN, degraded: 0, ok: 0, failedStatuses: Array(20).fill(504), poolInUsePeak: 15, poolWaitingPeak: 5, poolMax: 15, ...o });
    const r = judgeNv4({ off: p({}), on: p({ maxMs: 5_100, minMs: 5_000, degraded: 20, ok: 20, failedStatuses: [] }) });
    expect(r.measured).toMatch(/^no timeout: 0 answered, 20 failed/);
    expect(r.measured).toContain('5 s timeout: 20 answered after 5.00 s-5.10 s');
    expect(r.measured).not.toContain('NaN');
  });

  it('MO-3 / NF-14 / NF-11: a crowd run judged; a run with no request measures nothing', () => {
    const run = (o: Partial<CrowdRun>): CrowdRun => ({ users: 1000, durationMs: 12_000, requests: 2400, failed: 0, p95Ms: 80, p99Ms: 200, peakDbClients: 90, cacheHitRate: 0.85, platformCpuMs: 10_000, jwtVerifyMs: 0.05, hydrationPerFeed: 20, slowStatements: [], ...o });
    expect(judgeMo3(run({})).verdict).toBe('PARTLY'); // "more need a cluster" is never measured here
    expect(judgeMo3(run({})).reason).not.toContain('failed');
    expect(judgeNf14(run({})).reason).toContain('not measured: 5,000 concurrent users');
    expect(judgeMo3(run({ requests: 0, failed: 0 })).verdict).toBe('NOT RUN');
    const b = judgeNf11(run({ peakDbClients: 600, jwtVerifyMs: 4 }), 100);
    expect(b.reason).toContain('held: 500+ DB connections');
    expect(b.reason).toContain('JWT verification at 90% of CPU (measured 96%)');
  });
});

import { judgeNv7 } from './nv-7-redis-pools.ts';
import { judgeLc5 } from './lc-1-cache-aside.ts';
import { judgeAmqp } from './cp-8-9-amqp.ts';
import { judgeNf9 } from './nf-9-amqp-throughput.ts';
import { judgeCp1, judgeCp3, judgeCp6, judgeNv11 } from './chat-instances.ts';

describe('the messaging, chat and Redis probes', () => {
  it('NV-7: larger pools are "needed" only when they buy throughput', () => {
    const runs = (one: number, ten: number, fifteen: number, twenty: number) => [
      { size: 1, opsPerSec: one, p99Ms: 5 },
      { size: 10, opsPerSec: ten, p99Ms: 5 },
      { size: 15, opsPerSec: fifteen, p99Ms: 5 },
      { size: 20, opsPerSec: twenty, p99Ms: 5 },
    ];
    expect(judgeNv7({ concurrency: 200, runs: runs(50_000, 60_000, 70_000, 80_000) }).verdict).toBe('CONFIRMED');
    expect(judgeNv7({ concurrency: 200, runs: runs(80_000, 80_000, 81_000, 79_000) }).verdict).toBe('PARTLY');
    expect(judgeNv7({ concurrency: 200, runs: [] }).verdict).toBe('NOT RUN');
  });

  it('LC-5: every checklist item executed and passing is CONFIRMED; a failing readiness fails one item', () => {
    const m = { cachedInRedis: true, fallbackOk: true, health: { live: 200, ready: 200, metrics: true }, invalidated: true, uncachedP50Ms: 3, cachedP50Ms: 2 };
    expect(judgeLc5(m).verdict).toBe('CONFIRMED');
    expect(judgeLc5({ ...m, health: { live: 200, ready: 503, metrics: true } }).reason).toContain('failed: health and metrics endpoints');
  });

  it('CP-8 / CP-9: a message that never reached the DLQ leaves retries and backoff unmeasured', () => {
    const m = { baseDelayMs: 200, maxAttempts: 3, retried: 2, deadLettered: 1, toDlqMs: 1_030, prefetch: 10, maxLength: 20, published: 25, confirmed: 20, refused: 5, ttlMs: 2_000, expiredToDlq: 20 };
    const [cp8, cp9] = judgeAmqp(m);
    expect(cp8!.verdict).toBe('CONFIRMED');
    expect(cp9!.verdict).toBe('CONFIRMED');
    const [never] = judgeAmqp({ ...m, retried: 0, deadLettered: 0, toDlqMs: undefined });
    expect(never!.verdict).toBe('PARTLY');
    expect(never!.reason).toContain('failed: dead-letter queue');
    expect(never!.reason).toContain('not measured: retries, max 3 tries');
    const [linear] = judgeAmqp({ ...m, toDlqMs: 420 });
    expect(linear!.reason).toContain('failed: with exponential backoff');
    const [, noLimit] = judgeAmqp({ ...m, confirmed: 25, refused: 0, expiredToDlq: 25 });
    expect(noLimit!.reason).toContain('failed: max length');
  });

  it('NF-9: slower with reliability is a failed 3x; a broker restart stays unmeasured', () => {
    const run = (drainMs: number, lost: number, deadLettered: number) => ({ events: 1000, drainMs, handled: 1000, lost, deadLettered });
    const r = judgeNf9({ baseline: run(800, 1, 0), reliable: run(1200, 0, 1) });
    expect(r.verdict).toBe('PARTLY');
    expect(r.reason).toContain('failed: 3x message throughput');
    expect(r.reason).toContain('held: no lost messages');
    expect(r.reason).toContain('not measured: ... across a broker restart');
    expect(judgeNf9({ baseline: run(800, 1, 0), reliable: { events: 1000, drainMs: undefined, handled: 10, lost: 0, deadLettered: 0 } }).verdict).toBe('NOT RUN');
  });

  it('CP-1: delivery across instances without and with the adapter', () => {
    expect(judgeCp1({ sent: 5, deliveredOff: 0, deliveredOn: 5 }).verdict).toBe('CONFIRMED');
    expect(judgeCp1({ sent: 5, deliveredOff: 5, deliveredOn: 5 }).verdict).toBe('PARTLY');
    expect(judgeCp1({ sent: 0, deliveredOff: 0, deliveredOn: 0 }).verdict).toBe('NOT RUN');
  });

  it('CP-3: an unenforced page size and a missing 60/min limit fail their parts', () => {
    const m = { askedLimit: 1000, pageOff: 1000, pageOn: 100, deepPageOffMs: 30, deepPageOnMs: 8, cursorKind: 'keyset', memberQueriesPerMessageOff: 1, memberQueriesPerMessageOn: 0, acceptedBeforeLimit: 60, burst: 61, limitedWith: 'rate_limited', indexUsedWith: true, indexUsedWithout: false };
    expect(judgeCp3(m).verdict).toBe('CONFIRMED');
    const r = judgeCp3({ ...m, pageOn: 1000, acceptedBeforeLimit: 61, limitedWith: undefined });
    expect(r.reason).toContain('failed: a maximum page size is enforced');
    expect(r.reason).toContain('60 messages/min per user');
  });

  it('CP-6: a batch that never came fails "persisted in batches"', () => {
    const m = { changes: 10, writesOff: 10, writesOn: 0, flushIntervalMs: 2_000, batchedUsers: 10, batchStatements: 1 };
    expect(judgeCp6(m).verdict).toBe('CONFIRMED');
    expect(judgeCp6({ ...m, batchedUsers: 0, batchStatements: 0 }).verdict).toBe('PARTLY');
  });

  it('NV-11: Postgres near 5,000 writes/s holds; an ack P99 over 100 ms at 500 msg/s fails "safe"', () => {
    const r = judgeNv11({ senders: 100, saturatedMsgPerSec: 2_200, pgWritesPerSec: 4_500, offeredMsgPerSec: 500, ackP99Ms: 132, failed: 0 });
    expect(r.verdict).toBe('PARTLY');
    expect(r.reason).toContain('failed: safe ~500 msg/s');
  });
});

describe('NV-5 with one call closed early', () => {
  it('takes the blanket from the call the gateway cut at its deadline', () => {
    const r = judgeNv5({ blanket: { users: { ms: 28_120, status: 503 }, posts: { ms: 30_010, status: 504 } }, perService: { users: { ms: 5_010, status: 504 }, posts: { ms: 10_010, status: 504 } } });
    expect(r.verdict).toBe('CONFIRMED');
    expect(r.reason).toContain('measured 30.01 s');
  });
});
