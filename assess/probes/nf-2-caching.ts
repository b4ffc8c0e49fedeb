import { SQL } from '../../sql-audit/index.ts';
import { createRng, zipfTable } from '../../reference-system/index.ts';
import type { ClaimProbe } from '../probe.ts';
import type { AssessContext } from '../context.ts';
import { fmtMs, http, repeat } from '../measure.ts';
import { higherIsBetter, flawAtLeast, judged, lowerIsBetter, show, unmeasured, type Part, type ProbeResult } from '../verdict.ts';
import { callsMatching, callsOf, FEED_PAGE_QUERY, n } from './lib.ts';

/** One endpoint family read with the cache on: reads made and Postgres queries they caused. */
export interface CacheRun {
  reads: number;
  /** Postgres calls of the family's query (pg_stat_statements) during the measured reads. */
  queries: number;
  p50Ms: number;
  /** Reads of this family with the cache off and the queries they caused: proof the counter counts. */
  calibration?: { reads: number; queries: number };
}

export interface Nf2Measurement {
  keys: number;
  zipfExponent: number;
  profileOff: CacheRun;
  profileOn: CacheRun;
  /** A run, or why it failed. */
  feedOn: CacheRun | string;
  searchOn: CacheRun | string;
}

/**
 * A hit rate is only known when the uncached run shows Postgres counting (one query per read);
 * zero counters mean pg_stat_statements did not see the statements, never a 100% hit rate.
 */
export function hitRate(run: CacheRun | string | undefined, counting: boolean): number | undefined {
  if (!run || typeof run === 'string' || run.reads === 0) return undefined;
  const counts = run.calibration ? run.calibration.queries >= run.calibration.reads * 0.5 : counting;
  if (!counts) return undefined;
  return Math.max(0, 1 - run.queries / run.reads);
}

export function judgeNf2(m: Nf2Measurement): ProbeResult[] {
  const counting = m.profileOff.queries >= m.profileOff.reads * 0.5;
  const faster = m.profileOff.p50Ms > 0 ? 1 - m.profileOn.p50Ms / m.profileOff.p50Ms : undefined;
  const perReadOff = counting ? m.profileOff.queries / m.profileOff.reads : undefined;
  const perReadOn = counting ? m.profileOn.queries / m.profileOn.reads : undefined;
  const fewer = perReadOff !== undefined && perReadOn !== undefined && perReadOff > 0 ? 1 - perReadOn / perReadOff : undefined;
  const profileHit = hitRate(m.profileOn, counting);
  const feedHit = hitRate(m.feedOn, counting);
  const searchHit = hitRate(m.searchOn, counting);
  const method = `switch cache off/on; GET /api/users/:id (and with the cache on GET /api/feed and /api/search/posts) through the gateway, keys drawn Zipf(s=${m.zipfExponent}) over ${m.keys} users/terms after an equal warm-up; Postgres calls from pg_stat_statements`;
  const measured = `profiles p50 ${fmtMs(m.profileOff.p50Ms)} -> ${fmtMs(m.profileOn.p50Ms)}${faster !== undefined ? ` (${show.pct(faster)} faster)` : ''}; DB queries ${m.profileOff.queries} -> ${m.profileOn.queries} for ${m.profileOn.reads} reads; hit rates: profiles ${profileHit !== undefined ? show.pct(profileHit) : '-'}, feeds ${feedHit !== undefined ? show.pct(feedHit) : '-'}, search ${searchHit !== undefined ? show.pct(searchHit) : '-'}${counting ? '' : ' (pg_stat_statements did not count the uncached reads: no hit rate)'}`;
  const values = { p50OffMs: m.profileOff.p50Ms, p50OnMs: m.profileOn.p50Ms, queriesOff: m.profileOff.queries, queriesOn: m.profileOn.queries, faster, hitRate: profileHit, feedHitRate: feedHit, searchHitRate: searchHit };
  const rateOf = (label: string, v: number | undefined, claimed: number | [number, number], run: CacheRun | string): Part =>
    typeof run === 'string' ? unmeasured(label, run)
      : v === undefined ? unmeasured(label, `pg_stat_statements counted ${run.calibration?.queries ?? 0} queries for ${run.calibration?.reads ?? 0} uncached reads: no hit rate`)
        : higherIsBetter(label, v, claimed, show.pct);
  return [
    judged('NF-2', method, measured, [
      higherIsBetter('cached reads 80-90% faster', faster, [0.8, 0.9], show.pct),
      higherIsBetter('90% fewer DB queries for hot data', fewer, 0.9, show.pct),
      higherIsBetter('hit rate > 80%', profileHit, 0.8, show.pct),
    ], values),
    judged('LC-2', method, measured, [
      higherIsBetter('cached endpoints 60-90% faster', faster, [0.6, 0.9], show.pct),
      lowerIsBetter('cached 10-50 ms', m.profileOn.p50Ms, [10, 50], show.ms),
      flawAtLeast('uncached 100-300 ms (>= 100 ms)', m.profileOff.p50Ms, 100, show.ms),
      rateOf('profile hit rate 80-90%', profileHit, [0.8, 0.9], m.profileOn),
      rateOf('feed hit rate 70-85%', feedHit, [0.7, 0.85], m.feedOn),
      rateOf('search hit rate 60-80%', searchHit, [0.6, 0.8], m.searchOn),
    ], values),
  ];
}

/** Reads `reads` keys drawn Zipf from `keys` (after the same number of warm-up reads), counting `sql` calls. */
async function zipfReads(ctx: AssessContext, keys: readonly string[], reads: number, count: () => Promise<number>, url: (key: string) => string, headers: (key: string) => Promise<Record<string, string>>, seed: number, calibrate?: (keys: string[], read: (key: string) => Promise<void>) => Promise<void>): Promise<CacheRun> {
  const zipf = zipfTable(keys.length, ZIPF_S);
  const rng = createRng(seed);
  const get = async () => {
    const key = keys[zipf.sample(rng)]!;
    const r = await http(url(key), { headers: await headers(key), timeoutMs: 30_000 });
    if (r.status !== 200) throw new Error(`GET ${url(key)} answered ${r.status}`);
  };
  let calibration: CacheRun['calibration'];
  if (calibrate) {
    // A few uncached reads of keys the run does not use first: do they show up in the counter?
    const c0 = await count();
    const n0 = 5;
    await calibrate(keys.slice(-n0), async (key) => {
      const r = await http(url(key), { headers: await headers(key), timeoutMs: 30_000 });
      if (r.status !== 200) throw new Error(`GET ${url(key)} answered ${r.status}`);
    });
    calibration = { reads: n0, queries: (await count()) - c0 };
  }
  for (let i = 0; i < reads; i++) await get();
  const before = await count();
  const lat = await repeat(reads, get, { concurrency: 4 });
  return { reads, queries: (await count()) - before, p50Ms: lat.p50, ...(calibration ? { calibration } : {}) };
}

const ZIPF_S = 1.0;

/** NF-2, LC-2: cache off vs on over Zipf-distributed keys, with hit rates counted in Postgres. */
export const nf2Caching: ClaimProbe = {
  id: 'nf-2-caching',
  claimIds: ['NF-2', 'LC-2'],
  description: 'reads Zipf-distributed profiles, feeds and searches with cache off then on; counts their queries in Postgres',
  profiles: ['smoke', 'full'],
  async run(ctx) {
    const users = ctx.dataset.sampleUserIds.map(String);
    const words = [...ctx.dataset.searchTerms.selective, ...ctx.dataset.searchTerms.broad];
    // Single words and pairs: a key space of ~100 queries, not a handful.
    const terms = [...words, ...words.flatMap((a, i) => words.slice(i + 1).map((b) => `${a} ${b}`))];
    const one = { authorization: `Bearer ${await ctx.token(ctx.dataset.sampleUserIds[0]!)}` };
    const headers = async () => one;
    // Uncached reads (cache off) of keys outside the hot head, to prove the counter counts them.
    const uncached = (keys: string[], read: (key: string) => Promise<void>) => ctx.withSwitches({ cache: false }, async () => {
      for (const k of keys) await read(k);
    });
    const asReader = async (id: string) => ({ authorization: `Bearer ${await ctx.token(Number(id))}` });
    const reads = n(ctx, 300, 3000);
    const profileCalls = () => callsOf(ctx, SQL.get_user_profile);
    const feedCalls = () => callsMatching(ctx, FEED_PAGE_QUERY);
    // pg_stat_statements normalizes constants ('english' becomes $3): match the forms by their text.
    const searchCalls = async () => (await callsMatching(ctx, ['FROM posts', 'websearch_to_tsquery'])) + (await callsMatching(ctx, ['FROM posts', 'body ILIKE']));
    const profile = (seed: number) => zipfReads(ctx, users, reads, profileCalls, (id) => `${ctx.gateway}/api/users/${id}`, headers, seed);
    const profileOff = await ctx.withSwitches({ cache: false }, () => profile(11));
    const on = await ctx.withSwitches({ cache: true }, async () => {
      const profileOn = await profile(12);
      // Feeds: each key is a reader (its own token); the chronological feed query is the miss.
      const feedOn = await zipfReads(ctx, users.slice(0, 200), n(ctx, 150, 1500), feedCalls, () => `${ctx.gateway}/api/feed?limit=20`, asReader, 13, uncached).catch((e: Error) => `the reads failed: ${e.message}`);
      const searchOn = await zipfReads(ctx, terms, n(ctx, 150, 1500), searchCalls, (q) => `${ctx.gateway}/api/search/posts?q=${encodeURIComponent(q)}&limit=20`, headers, 14, uncached).catch((e: Error) => `the reads failed: ${e.message}`);
      return { profileOn, feedOn, searchOn };
    });
    return judgeNf2({ keys: users.length, zipfExponent: ZIPF_S, profileOff, profileOn: on.profileOn, feedOn: on.feedOn, searchOn: on.searchOn });
  },
};
