/** The users service's HTTP routes: paths as the gateway forwards them (the /api prefix kept). */
import type { Router } from 'express';
import type { ServiceContext } from '../../shared/context.ts';
import { requireCaller, requireSelf } from '../common/caller.ts';
import { serviceRouter } from '../common/router.ts';
import { idParams, parseInput } from '../common/validate.ts';
import { follow, unfollow } from './follow.ts';
import { getProfile, updateProfile } from './profile.ts';
import { pageQuerySchema, profilePatchSchema } from './schemas.ts';
import { getUserPosts } from './user-posts.ts';

export function usersRouter(ctx: ServiceContext): Router {
  const router = serviceRouter();
  const pageQuery = pageQuerySchema(ctx.config.maxPageSize);

  router.get('/api/users/:id', async (req, res) => {
    const { id } = parseInput(idParams, req.params, 'params');
    const { profile, hit } = await getProfile(ctx, id);
    res.set('x-cache', hit ? 'hit' : 'miss').json(profile);
  });

  router.patch('/api/users/:id', async (req, res) => {
    const caller = requireCaller(req);
    const { id } = parseInput(idParams, req.params, 'params');
    requireSelf(caller, id, 'edit the profile');
    const patch = parseInput(profilePatchSchema, req.body, 'body');
    res.json(await updateProfile(ctx, id, patch));
  });

  router.post('/api/users/:id/follow', async (req, res) => {
    const caller = requireCaller(req);
    const { id } = parseInput(idParams, req.params, 'params');
    const result = await follow(ctx, caller, id);
    res.status(result.changed ? 201 : 200).json(result);
  });

  router.delete('/api/users/:id/follow', async (req, res) => {
    const caller = requireCaller(req);
    const { id } = parseInput(idParams, req.params, 'params');
    res.json(await unfollow(ctx, caller, id));
  });

  router.get('/api/users/:id/posts', async (req, res) => {
    const { id } = parseInput(idParams, req.params, 'params');
    const { limit, cursor } = parseInput(pageQuery, req.query, 'query');
    res.json(await getUserPosts(ctx, id, limit, cursor));
  });

  return router;
}
