/**
 * The reference platform as a Deployment: one pool per service (shared-pool on) of 15
 * connections (reference-system/shared/db.ts DEFAULT_POOL_MAX, Nova's standard) behind PgBouncer.
 * With shared-pool off each module of a service opens its own pool (MO-1); the platform does not
 * publish its module count, so `poolsPerReplica` is then left for the deployment file to state.
 */
import type { Deployment } from './deployment.ts';

export const REFERENCE_POOL_MAX = 15;
/** Services with a database pool when the platform's process list is unknown. */
export const REFERENCE_DB_SERVICES = ['auth', 'users', 'posts', 'comments', 'search', 'chat', 'notifications'] as const;

export function referenceDeployment(opts: {
  services?: readonly string[];
  poolMax?: number;
  postgres?: Deployment['postgres'];
  pgbouncer?: Deployment['pgbouncer'];
}): Deployment {
  // Gateways proxy HTTP and hold no database pool.
  const names = (opts.services ?? REFERENCE_DB_SERVICES).filter((s) => !/^gateway/.test(s));
  return {
    name: 'reference platform',
    ...(opts.postgres ? { postgres: opts.postgres } : {}),
    ...(opts.pgbouncer ? { pgbouncer: opts.pgbouncer } : {}),
    services: names.map((name) => ({ name, replicas: 1, poolMax: opts.poolMax ?? REFERENCE_POOL_MAX, poolsPerReplica: 1, via: 'pgbouncer' as const })),
  };
}
