import type { ClaimProbe } from '../probe.ts';
import { fmtMs, http, repeat } from '../measure.ts';
import { n, result } from './lib.ts';

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
    const measure = async (kind: 'posts' | 'users') =>
      repeat(runs, async (i) => {
        const q = kind === 'posts' ? terms[Math.abs(i) % terms.length]! : `user${(Math.abs(i) % 90) + 10}`;
        const r = await http(`${ctx.gateway}/api/search/${kind}?q=${encodeURIComponent(q)}&limit=20`, { headers, timeoutMs: 30_000 });
        if (r.status >= 500 && r.status !== 503) throw new Error(`search ${kind} answered ${r.status}`);
      }, { warmup: 2 });
    const off = await ctx.withSwitches({ 'fulltext-search': false, cache: false }, async () => ({ posts: await measure('posts'), users: await measure('users') }));
    const on = await ctx.withSwitches({ 'fulltext-search': true, cache: false }, async () => ({ posts: await measure('posts'), users: await measure('users') }));
    return [
      result(
        'CP-5',
        `switch fulltext-search off/on (cache off); ${runs} searches each for posts (seeded terms) and users through the gateway`,
        `posts p50 ${fmtMs(off.posts.p50)} -> ${fmtMs(on.posts.p50)}, p99 ${fmtMs(off.posts.p99)} -> ${fmtMs(on.posts.p99)}; users p50 ${fmtMs(off.users.p50)} -> ${fmtMs(on.users.p50)}`,
        [
          { label: "full-text beats LIKE '%q%' on posts", ok: on.posts.p50 < off.posts.p50, measured: `${fmtMs(off.posts.p50)} -> ${fmtMs(on.posts.p50)}` },
          { label: "trigram beats LIKE '%q%' on users", ok: on.users.p50 < off.users.p50, measured: `${fmtMs(off.users.p50)} -> ${fmtMs(on.users.p50)}` },
        ],
        { postsOffP50Ms: off.posts.p50, postsOnP50Ms: on.posts.p50, usersOffP50Ms: off.users.p50, usersOnP50Ms: on.users.p50 },
      ),
    ];
  },
};
