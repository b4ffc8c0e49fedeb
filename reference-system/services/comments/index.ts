import type { ServiceDescriptor } from '../../shared/context.ts';
import { commentsRouter } from './routes.ts';

export const commentsService: ServiceDescriptor = {
  id: 'comments',
  description: "a post's comments (cached, keyset paging) and adding one (counted, event published)",
  create: (ctx) => commentsRouter(ctx),
};
