/** The reference platform's shared framework: what services and the gateway build on. */
export * from './api-errors.ts';
export * from './context.ts';
export * from './tokens.ts';
export * from './db.ts';
export * from './cache.ts';
export * from './publisher.ts';
export * from './logger.ts';
export * from './metrics.ts';
export * from './redis.ts';
export * from './http.ts';
export * from './switch-store.ts';
export * from './service-context.ts';
export * from './service-server.ts';
export * from './validate.ts';
