/**
 * What the platform is started with and what a started platform is. The platform takes URLs, not
 * the harness's state: `infra` names only the endpoints it connects to, so a StackState fits it as
 * it is and the system under test never imports the harness that measures it.
 */
import type { Logger } from 'pino';
import type { Registry as PromRegistry } from 'prom-client';
import type { InfraUrls, StartedHandle, Switches, Variant } from '../../core/index.ts';
import type { SwitchStore } from '../shared/switch-store.ts';
import type { Hop } from '../toxiproxy-hops.ts';

/** The infrastructure the platform runs on: where Postgres, PgBouncer, Redis, RabbitMQ and Toxiproxy answer. */
export interface PlatformInfra {
  /** Database name the platform uses unless PlatformOptions.database names another. */
  database: string;
  urls: InfraUrls;
}

export interface PlatformOptions {
  infra: PlatformInfra;
  variant: Variant;
  /** Defaults to the variant's switches. */
  switches?: Switches;
  jwtSecret?: string;
  /** One child process per service instead of one process. */
  split?: boolean;
  chatInstances?: number;
  /** Gateways in this process, each on its own port (tests of per-instance behaviour). */
  gatewayInstances?: number;
  /**
   * Gateway processes behind one port (Node cluster workers), so the gateway can use more than one
   * core; takes precedence over gatewayInstances when above 1.
   */
  gatewayProcesses?: number;
  /** Put a Toxiproxy proxy `svc-<service>` between the gateway and each service. */
  toxiproxyHops?: boolean;
  /** Prefix of those proxies' names (tests running several platforms on one stack use their own). */
  hopPrefix?: string;
  /** Database name; defaults to the infra's. */
  database?: string;
  /** What the services connect to; defaults to PgBouncer (Toxiproxy's pgbouncer proxy with `proxiedInfra`). */
  databaseUrl?: string;
  /** Direct Postgres for index DDL; defaults to the infra's postgres URL with `database`. */
  adminDatabaseUrl?: string;
  redisUrl?: string;
  amqpUrl?: string;
  /** Services reach Postgres, Redis and RabbitMQ through the infra's Toxiproxy proxies. */
  proxiedInfra?: boolean;
  /** Redis key namespace; defaults to "brink:<database>:". */
  redisKeyPrefix?: string;
  /**
   * Delete the Redis namespace's keys at start (default true): cached rows, rate-limit windows and
   * refresh tokens left by an earlier platform on a database that has since been re-created or re-seeded.
   */
  flushRedisNamespace?: boolean;
  /** Apply the index switches to the database at start (default true). */
  applyIndexes?: boolean;
  /** Start chat instances and the notifications worker (default true). */
  realtime?: boolean;
  /** Only these services (split children); no gateway, no realtime. */
  only?: readonly string[];
  poolMax?: number;
  rateLimitFailClosed?: boolean;
  readyTimeoutMs?: number;
  log?: Logger;
}

export interface StartedPlatform extends StartedHandle {
  variant: Variant;
  switches: SwitchStore;
  /** gateway (the first), gateway-2..., auth, users, posts, comments, search, chat (the first). */
  services: Record<string, string>;
  gateways: string[];
  chatInstances: string[];
  hops: Hop[];
  jwtSecret: string;
  database: string;
  metrics: PromRegistry;
  /** Stops one service (its server, or its child process): for breaker and readiness tests. */
  stopService(id: string): Promise<void>;
}
