/**
 * BEYOND-1 (a finding of brink's own, issue 14): the follows-join home feed walks posts by time
 * until it has a page of the reader's followees; for a reader who follows sparse accounts (few,
 * old posts) that walk reads most of posts. The per-followee merge (switch feed-followee-merge)
 * reads followees x page size index rows instead. Measured through the gateway, cache off, for a
 * reader made here who follows the 50 accounts with 1-3 live posts whose newest post is oldest.
 */
import type { ClaimProbe } from '../probe.ts';
import type { AssessContext } from '../context.ts';
import { fmtMs, http, repeat } from '../measure.ts';
import { fact, higherIsBetter, judged, lowerIsBetter, notRun, show, type ProbeResult } from '../verdict.ts';
import { n } from './lib.ts';

export interface Beyond1Measurement {
  followees: number;
  runs: number;
  /** Feed p50 with the follows join (switch off), then the merge (on); undefined when a request failed. */
  joinP50Ms: number | undefined;
  mergeP50Ms: number | undefined;
  /** Both forms gave the same page (post ids in order): the merge is a faster plan, not another answer. */
  samePage: boolean | undefined;
  pageSize: number;
}

export function judgeBeyond1(m: Beyond1Measurement): ProbeResult {
  const speedup = m.joinP50Ms !== undefined && m.mergeP50Ms !== undefined && m.mergeP50Ms > 0 ? m.joinP50Ms / m.mergeP50Ms : undefined;
  return judged(
    'BEYOND-1',
    `switch feed-followee-merge off/on (cache off); a reader made for the probe follows the ${m.followees} accounts with 1-3 live posts whose newest post is oldest; ${m.runs} GET /api/feed?limit=20 each way through the gateway, p50`,
    `feed p50 ${m.joinP50Ms !== undefined ? fmtMs(m.joinP50Ms) : '-'} (follows join) -> ${m.mergeP50Ms !== undefined ? fmtMs(m.mergeP50Ms) : '-'} (merge)${speedup !== undefined ? `, ${speedup.toFixed(0)}x` : ''}; ${m.pageSize} posts on the page, ${m.samePage === undefined ? 'pages not compared' : m.samePage ? 'the same page both ways' : 'DIFFERENT pages'}`,
    [
      higherIsBetter('the merge at least 10x faster than the follows join', speedup, 10, show.x),
      lowerIsBetter('the merge answers in < 50 ms', m.mergeP50Ms, 50, show.ms, { strict: true }),
      fact('the same page both ways', m.samePage, m.samePage === undefined ? 'not measured: a request failed' : m.samePage ? `${m.pageSize} posts, same order` : 'the pages differ'),
    ],
    { followees: m.followees, joinP50Ms: m.joinP50Ms, mergeP50Ms: m.mergeP50Ms, speedup, pageSize: m.pageSize, baselineFeedP50Ms: m.joinP50Ms, optimizedFeedP50Ms: m.mergeP50Ms },
  );
}

async function feedTimes(ctx: AssessContext, headers: Record<string, string>, runs: number): Promise<{ p50: number | undefined; ids: string }> {
  let ids = '';
  let failed = false;
  const lat = await repeat(runs, async () => {
    const r = await http(`${ctx.gateway}/api/feed?limit=20`, { headers, timeoutMs: 60_000 });
    if (r.status !== 200) failed = true;
    else ids = ((JSON.parse(r.body.toString()) as { items: { id: number | string }[] }).items ?? []).map((p) => p.id).join(',');
  }, { warmup: 1 });
  return { p50: failed ? undefined : lat.p50, ids };
}

export const beyondFeedFolloweeMerge: ClaimProbe = {
  id: 'beyond-feed-followee-merge',
  claimIds: ['BEYOND-1'],
  description: 'times the home feed of a reader of 50 sparse accounts with feed-followee-merge off, then on',
  profiles: ['smoke', 'full'],
  async run(ctx) {
    const sparse = (await ctx.db.query<{ user_id: string }>(
      'SELECT user_id FROM posts WHERE deleted_at IS NULL GROUP BY user_id HAVING count(*) BETWEEN 1 AND 3 ORDER BY max(created_at), user_id LIMIT 50',
    )).rows.map((r) => Number(r.user_id));
    if (sparse.length < 50) return [notRun('BEYOND-1', `the dataset has ${sparse.length} accounts with 1-3 live posts; 50 are needed`)];
    const tag = `brink-beyond1-${Date.now().toString(36)}`;
    const reader = Number((await ctx.db.query<{ id: string }>('INSERT INTO users (username, email, password_hash, display_name) VALUES ($1, $2, $3, $1) RETURNING id', [tag, `${tag}@x.test`, 'x'])).rows[0]!.id);
    try {
      await ctx.db.query('INSERT INTO follows (follower_id, followee_id) SELECT $1, unnest($2::bigint[])', [reader, sparse]);
      const headers = { authorization: `Bearer ${await ctx.token(reader)}` };
      const runs = n(ctx, 3, 10);
      const join = await ctx.withSwitches({ cache: false, 'feed-followee-merge': false }, () => feedTimes(ctx, headers, runs));
      const merge = await ctx.withSwitches({ cache: false, 'feed-followee-merge': true }, () => feedTimes(ctx, headers, runs));
      const compared = join.p50 !== undefined && merge.p50 !== undefined;
      return [judgeBeyond1({ followees: sparse.length, runs, joinP50Ms: join.p50, mergeP50Ms: merge.p50, samePage: compared ? join.ids === merge.ids && join.ids !== '' : undefined, pageSize: merge.ids ? merge.ids.split(',').length : 0 })];
    } finally {
      // The reader was made here: leave the dataset as it was.
      await ctx.db.query('DELETE FROM follows WHERE follower_id = $1', [reader]).catch(() => undefined);
      await ctx.db.query('DELETE FROM users WHERE id = $1', [reader]).catch(() => undefined);
    }
  },
};
