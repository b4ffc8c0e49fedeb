import type { ServiceDescriptor, ServiceContext } from '../../shared/context.ts';
import { ensureOutboxTable, startOutboxRelay } from './outbox.ts';
import { commentsRouter } from './routes.ts';

export const commentsService: ServiceDescriptor = {
  id: 'comments',
  description: "a post's comments (cached, keyset paging) and adding one (counted, event published, or relayed from an outbox)",
  create: async (ctx) => {
    // The outbox table exists whatever the switch (it can be turned on at run time); the relay
    // runs with the service and idles while the switch is off.
    await ensureOutboxTable(ctx);
    const relay = startOutboxRelay(ctx);
    // The relay stops before the context's pool and publisher close (no hook for it otherwise).
    const owned = ctx as ServiceContext & { close?: () => Promise<void> };
    if (typeof owned.close === 'function') {
      const close = owned.close;
      owned.close = async () => {
        await relay.stop();
        await close();
      };
    }
    return commentsRouter(ctx, relay);
  },
};
