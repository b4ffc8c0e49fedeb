import type { ServiceDescriptor } from '../../shared/context.ts';
import { searchRouter } from './routes.ts';

export const searchService: ServiceDescriptor = {
  id: 'search',
  description: 'post and user search: LIKE (baseline) or full text and trigram (fulltext-search), cached, under a statement timeout',
  create: (ctx) => searchRouter(ctx),
};
