/** The posts service's HTTP routes: posts, the home feed, trending. */
import type { Router } from 'express';
import type { ServiceContext } from '../../shared/context.ts';
import { requireCaller } from '../common/caller.ts';
import { serviceRouter } from '../common/router.ts';
import { idParams, parseInput } from '../common/validate.ts';
import { getFeed } from './feed.ts';
import { createPost, deletePost } from './posts.ts';
import { createPostSchema, pageQuerySchema, trendingQuerySchema } from './schemas.ts';
import { getTrending } from './trending.ts';

export function postsRouter(ctx: ServiceContext): Router {
  const router = serviceRouter();
  const pageQuery = pageQuerySchema(ctx.config.maxPageSize);
  const trendingQuery = trendingQuerySchema(ctx.config.maxPageSize);

  router.post('/api/posts', async (req, res) => {
    const caller = requireCaller(req);
    const { body } = parseInput(createPostSchema, req.body, 'body');
    res.status(201).json(await createPost(ctx, caller, body));
  });

  // Before /api/posts/:id so "trending" is never read as an id.
  router.get('/api/posts/trending', async (req, res) => {
    const { limit } = parseInput(trendingQuery, req.query, 'query');
    res.json(await getTrending(ctx, limit));
  });

  router.delete('/api/posts/:id', async (req, res) => {
    const caller = requireCaller(req);
    const { id } = parseInput(idParams, req.params, 'params');
    await deletePost(ctx, caller, id);
    res.status(204).end();
  });

  router.get('/api/feed', async (req, res) => {
    const caller = requireCaller(req);
    const { limit, cursor } = parseInput(pageQuery, req.query, 'query');
    const { page, hit } = await getFeed(ctx, caller, limit, cursor);
    res.set('x-cache', hit ? 'hit' : 'miss').json(page);
  });

  return router;
}
