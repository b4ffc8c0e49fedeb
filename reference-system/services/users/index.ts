import type { ServiceDescriptor } from '../../shared/context.ts';
import { usersRouter } from './routes.ts';

export const usersService: ServiceDescriptor = {
  id: 'users',
  description: 'profiles (cache-aside), follow/unfollow, a user\'s posts (get_user_posts)',
  create: (ctx) => usersRouter(ctx),
};
