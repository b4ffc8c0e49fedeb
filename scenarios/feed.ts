/**
 * feed: seeded users (tokens minted before the load) read their home feed, profiles (one in five a
 * heavy user with 10k/100k posts, the NV-1 query), comments, and write posts and comments, with
 * 1-3 s of think time in closed models. k6: k6/feed.js. Plans: PLANS.feed in k6/lib/plans.js.
 */
import { feedAction, nextCursorOf, postIdsOf, profileTarget } from './k6/lib/mix.js';
import { HTTP_METRICS } from './thresholds.ts';
import type { ScenarioDescriptor } from './types.ts';
import type { VuContext } from './engine/vu-context.ts';

async function iteration(vu: VuContext): Promise<void> {
  const { data } = vu;
  const user = data.users[(vu.vu - 1) % data.users.length]!;
  const seen = (vu.state.postIds as Array<number | string> | undefined) ?? [];
  const auth = { token: user.token };
  let action = feedAction(Math.random());
  if ((action === 'list_comments' || action === 'create_comment') && seen.length === 0) action = 'feed';
  switch (action) {
    case 'feed': {
      // Follow the cursor to page two one time in four, as someone scrolling would.
      const cursor = vu.state.cursor as string | undefined;
      const page2 = cursor !== undefined && Math.random() < 0.25;
      const res = await vu.get(`/api/feed?limit=20${page2 ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { ...auth, name: 'feed' });
      const ids = postIdsOf(res.json);
      if (ids.length > 0) vu.state.postIds = ids;
      vu.state.cursor = nextCursorOf(res.json);
      break;
    }
    case 'get_user_posts': {
      const t = profileTarget(data, Math.random(), Math.random());
      await vu.get(`/api/users/${t.id}/posts?limit=20`, { ...auth, name: 'get_user_posts', tags: { heavy: String(t.heavy) } });
      break;
    }
    case 'list_comments': {
      const id = seen[Math.floor(Math.random() * seen.length)]!;
      await vu.get(`/api/posts/${id}/comments?limit=20`, { ...auth, name: 'list_comments' });
      break;
    }
    case 'create_post':
      await vu.post('/api/posts', { body: `brink feed post by vu${vu.vu} at ${Date.now()}` }, { ...auth, name: 'create_post' });
      break;
    case 'create_comment': {
      const id = seen[Math.floor(Math.random() * seen.length)]!;
      await vu.post(`/api/posts/${id}/comments`, { body: `brink comment by vu${vu.vu}` }, { ...auth, name: 'create_comment' });
      break;
    }
  }
  // Think time only in closed models; in open models the arrival rate is the pacing.
  if (!vu.openModel) await vu.sleep(1000 + Math.random() * 2000);
}

export const feed: ScenarioDescriptor = {
  id: 'feed',
  description: 'home feed, profiles (heavy users included), comments and posts with think time (NV-14 load plan)',
  k6Script: 'feed.js',
  planKey: 'feed',
  metrics: HTTP_METRICS,
  node: { iteration },
};
