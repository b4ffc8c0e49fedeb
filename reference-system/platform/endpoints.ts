/** Where the platform's processes connect, resolved once from the options and the infra's URLs. */
import { withDatabase } from '../../core/index.ts';
import type { PlatformOptions } from './options.ts';

export interface PlatformEndpoints {
  database: string;
  /** What the services connect to (PgBouncer, or its Toxiproxy proxy). */
  databaseUrl: string;
  /** Straight to Postgres, for index DDL. */
  adminDatabaseUrl: string;
  redisUrl: string;
  amqpUrl: string;
  redisKeyPrefix: string;
  /** Toxiproxy's HTTP API. */
  toxiproxyUrl: string;
}

type EndpointOptions = Pick<PlatformOptions, 'infra' | 'database' | 'databaseUrl' | 'adminDatabaseUrl' | 'redisUrl' | 'amqpUrl' | 'proxiedInfra' | 'redisKeyPrefix'>;

/** Explicit URLs win; otherwise the infra's, through its Toxiproxy proxies with `proxiedInfra`. */
export function resolveEndpoints(opts: EndpointOptions): PlatformEndpoints {
  const { urls } = opts.infra;
  const database = opts.database ?? opts.infra.database;
  return {
    database,
    databaseUrl: opts.databaseUrl ?? withDatabase(opts.proxiedInfra ? urls.pgbouncerProxied : urls.pgbouncer, database),
    adminDatabaseUrl: opts.adminDatabaseUrl ?? withDatabase(urls.postgres, database),
    redisUrl: opts.redisUrl ?? (opts.proxiedInfra ? urls.redisProxied : urls.redis),
    amqpUrl: opts.amqpUrl ?? (opts.proxiedInfra ? urls.amqpProxied : urls.amqp),
    redisKeyPrefix: opts.redisKeyPrefix ?? `brink:${database}:`,
    toxiproxyUrl: urls.toxiproxy,
  };
}
