import { createHistogram, recordMs, trendValues } from '../../core/index.ts';
import type { ClaimProbe } from '../probe.ts';
import { fmtMs, http } from '../measure.ts';
import { higherIsBetter, judged, show, unmeasured, type Part, type ProbeResult } from '../verdict.ts';
import { n } from './lib.ts';

/** Searches of one kind: p50 over the answers that were 200, and how many were not. */
export interface SearchRun {
  ok: number;
  notOk: number;
  /** Statuses other than 200, e.g. {429: 3}. */
  statuses: Record<string, number>;
  p50Ms: number | undefined;
}

export interface Cp5Measurement {
  runs: number;
  postsOff: SearchRun;
  postsOn: SearchRun;
  usersOff: SearchRun;
  usersOn: SearchRun;
}

/** A 429 or 503 is not a search: a run with any of them is not timed (it would look fast). */
function speedup(label: string, off: SearchRun, on: SearchRun): Part {
  const refused = [off, on].find((r) => r.notOk > 0 || r.p50Ms === undefined);
  if (refused) return unmeasured(label, `${refused.notOk} of ${refused.ok + refused.notOk} searches answered ${Object.keys(refused.statuses).join('/') || 'nothing'}`);
  return higherIsBetter(label, off.p50Ms! / on.p50Ms!, 1, show.x);
}

export function judgeCp5(m: Cp5Measurement): ProbeResult {
  const p = (r: SearchRun) => (r.p50Ms === undefined ? '-' : fmtMs(r.p50Ms));
  return judged(
    'CP-5',
    `switch fulltext-search off/on (cache off); ${m.runs} searches each for posts (seeded terms) and users through the gateway; only 200 answers are timed`,
    `posts p50 ${p(m.postsOff)} -> ${p(m.postsOn)}; users p50 ${p(m.usersOff)} -> ${p(m.usersOn)}`,
    [
      speedup("full-text index beats LIKE '%q%' on posts (faster than 1x)", m.postsOff, m.postsOn),
      speedup("trigram index beats LIKE '%q%' on users (faster than 1x)", m.usersOff, m.usersOn),
    ],
    { postsOffP50Ms: m.postsOff.p50Ms, postsOnP50Ms: m.postsOn.p50Ms, usersOffP50Ms: m.usersOff.p50Ms, usersOnP50Ms: m.usersOn.p50Ms },
  );
}

/** CP-5 (and the index half of NV-12): post and user search, LIKE '%q%' vs full-text / trigram. */
export const cp5Search: ClaimProbe = {
  id: 'cp-5-search',
  claimIds: ['CP-5'],
  description: 'searches posts and users through the gateway with fulltext-search off, then on (cache off so Postgres answers)',
  profiles: ['smoke', 'full'],
  async run(ctx) {
    const terms = [...ctx.dataset.searchTerms.selective.slice(0, 3), ...ctx.dataset.searchTerms.broad.slice(0, 2)];
    const token = await ctx.token(ctx.dataset.sampleUserIds[0]!);
    const headers = { authorization: `Bearer ${token}` };
    const runs = n(ctx, 20, 100);
    const measure = async (kind: 'posts' | 'users'): Promise<SearchRun> => {
      const h = createHistogram();
      const out: SearchRun = { ok: 0, notOk: 0, statuses: {}, p50Ms: undefined };
      for (let i = -2; i < runs; i++) {
        const q = kind === 'posts' ? terms[Math.abs(i) % terms.length]! : `user${(Math.abs(i) % 90) + 10}`;
        const r = await http(`${ctx.gateway}/api/search/${kind}?q=${encodeURIComponent(q)}&limit=20`, { headers, timeoutMs: 30_000 }).catch(() => ({ status: 0, ms: 0 }));
        if (i < 0) continue; // warm-up
        if (r.status === 200) {
          out.ok++;
          recordMs(h, r.ms);
        } else {
          out.notOk++;
          out.statuses[r.status] = (out.statuses[r.status] ?? 0) + 1;
        }
      }
      if (out.ok > 0) out.p50Ms = trendValues(h).p50;
      return out;
    };
    const off = await ctx.withSwitches({ 'fulltext-search': false, cache: false }, async () => ({ posts: await measure('posts'), users: await measure('users') }));
    const on = await ctx.withSwitches({ 'fulltext-search': true, cache: false }, async () => ({ posts: await measure('posts'), users: await measure('users') }));
    return [judgeCp5({ runs, postsOff: off.posts, postsOn: on.posts, usersOff: off.users, usersOn: on.users })];
  },
};
