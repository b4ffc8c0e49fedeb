/**
 * Statement timeouts (NV-4). Postgres cancels a statement that runs past statement_timeout with
 * SQLSTATE 57014 (query_canceled); the shared Db passes that error through unchanged.
 */
import type { ServiceContext } from '../../shared/context.ts';

export { isStatementTimeout } from '../../shared/db.ts';

/** The statement timeout to run an expensive query under, or undefined (no timeout) with the switch off. */
export function statementTimeoutOf(ctx: Pick<ServiceContext, 'switches' | 'config'>): number | undefined {
  return ctx.switches['statement-timeouts'] ? ctx.config.statementTimeoutMs : undefined;
}

/**
 * Thrown out of a cache loader to answer without caching: a degraded (fallback) answer must not be
 * served for the cache's whole TTL after the database has recovered.
 */
export class UncachedAnswer<T> extends Error {
  constructor(readonly value: T) {
    super('uncached answer');
    this.name = 'UncachedAnswer';
  }
}
