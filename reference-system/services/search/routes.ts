/** The search service's HTTP routes. Public: search needs no caller. */
import type { Router } from 'express';
import type { ServiceContext } from '../../shared/context.ts';
import { serviceRouter } from '../common/router.ts';
import { parseInput } from '../common/validate.ts';
import { searchQuerySchema } from './schemas.ts';
import { searchPosts, searchUsers } from './search.ts';

export function searchRouter(ctx: ServiceContext): Router {
  const router = serviceRouter();
  const searchQueryString = searchQuerySchema(ctx.config.maxPageSize);

  router.get('/api/search/posts', async (req, res) => {
    const { q, limit } = parseInput(searchQueryString, req.query, 'query');
    const { answer, hit } = await searchPosts(ctx, q, limit);
    res.set('x-cache', hit ? 'hit' : 'miss').json(answer);
  });

  router.get('/api/search/users', async (req, res) => {
    const { q, limit } = parseInput(searchQueryString, req.query, 'query');
    const { answer, hit } = await searchUsers(ctx, q, limit);
    res.set('x-cache', hit ? 'hit' : 'miss').json(answer);
  });

  return router;
}
