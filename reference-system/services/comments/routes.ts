/** The comments service's HTTP routes. */
import type { Router } from 'express';
import type { ServiceContext } from '../../shared/context.ts';
import { requireCaller } from '../common/caller.ts';
import { serviceRouter } from '../common/router.ts';
import { idParams, parseInput } from '../common/validate.ts';
import { createComment } from './create.ts';
import type { OutboxRelay } from './outbox.ts';
import { listComments } from './list.ts';
import { createCommentSchema, pageQuerySchema } from './schemas.ts';

export function commentsRouter(ctx: ServiceContext, outbox?: OutboxRelay): Router {
  const router = serviceRouter();
  const pageQuery = pageQuerySchema(ctx.config.maxPageSize);

  router.get('/api/posts/:id/comments', async (req, res) => {
    const { id } = parseInput(idParams, req.params, 'params');
    const { limit, cursor } = parseInput(pageQuery, req.query, 'query');
    const { page, hit } = await listComments(ctx, id, limit, cursor);
    res.set('x-cache', hit ? 'hit' : 'miss').json(page);
  });

  router.post('/api/posts/:id/comments', async (req, res) => {
    const caller = requireCaller(req);
    const { id } = parseInput(idParams, req.params, 'params');
    const { body } = parseInput(createCommentSchema, req.body, 'body');
    res.status(201).json(await createComment(ctx, id, caller, body, outbox));
  });

  return router;
}
