import type { ServiceDescriptor } from '../../shared/context.ts';
import { postsRouter } from './routes.ts';

export const postsService: ServiceDescriptor = {
  id: 'posts',
  description: 'create/delete (soft) posts, the home feed (cached, stampede lock, batched hydration), trending (statement timeout)',
  create: (ctx) => postsRouter(ctx),
};
