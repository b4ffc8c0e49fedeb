/**
 * Builds a ServiceContext from URLs: the database provider, Redis, cache, publisher, logger and
 * metrics one service gets. The platform calls it once per service; tests call it directly to
 * exercise one service's router without a gateway.
 */
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { PlatformConfig, ServiceContext } from './context.ts';
import type { Switches, Variant } from '../../core/index.ts';
import { createCache } from './cache.ts';
import { createDbProvider, type ClosableDbProvider } from './db.ts';
import { createLogger } from './logger.ts';
import { createMetricsRegistry } from './metrics.ts';
import { createPublisher, type Publisher } from './publisher.ts';
import { closeRedis, createRedisClient } from './redis.ts';

export const DEFAULT_PLATFORM_CONFIG: Omit<PlatformConfig, 'jwtSecret'> = {
  // NV-4: "a 5 s timeout".
  statementTimeoutMs: 5_000,
  maxPageSize: 100,
};

export interface ServiceContextOptions {
  service: string;
  variant: Variant;
  /** Live switches: pass the SwitchStore's `current`, not a copy. */
  switches: Readonly<Switches>;
  databaseUrl: string;
  redisUrl: string;
  amqpUrl: string;
  jwtSecret: string;
  redisKeyPrefix?: string;
  config?: Partial<Omit<PlatformConfig, 'jwtSecret'>>;
  metrics?: Registry;
  log?: Logger;
  /** Connections per pool when pooling is on (per module when shared-pool is off). */
  poolMax?: number;
}

export interface OwnedServiceContext extends ServiceContext {
  db: ClosableDbProvider;
  publisher: Publisher;
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

export function createServiceContext(opts: ServiceContextOptions): OwnedServiceContext {
  const log = opts.log ?? createLogger({ name: opts.service });
  const metrics = opts.metrics ?? createMetricsRegistry();
  const redis = createRedisClient({ url: opts.redisUrl, keyPrefix: opts.redisKeyPrefix, log });
  const db = createDbProvider({ url: opts.databaseUrl, service: opts.service, switches: opts.switches, metrics, log, poolMax: opts.poolMax });
  const publisher = createPublisher({ url: opts.amqpUrl, service: opts.service, metrics, log });
  const cache = createCache({ service: opts.service, redis, switches: opts.switches, metrics, log });
  const close = async () => {
    await Promise.all([db.close(), publisher.close(), closeRedis(redis)]);
  };
  return {
    service: opts.service,
    variant: opts.variant,
    switches: opts.switches,
    db,
    redis,
    cache,
    publisher,
    publish: async (event) => {
      await publisher.publish(event);
    },
    log,
    metrics,
    config: { ...DEFAULT_PLATFORM_CONFIG, ...opts.config, jwtSecret: opts.jwtSecret },
    close,
    [Symbol.asyncDispose]: close,
  };
}
