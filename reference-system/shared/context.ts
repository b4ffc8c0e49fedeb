/**
 * What every service of the reference platform is given. Services are plug-ins (one folder each,
 * a descriptor listed in reference-system/services/index.ts) that build an express Router from a
 * ServiceContext; the platform (reference-system/platform.ts) builds the contexts and servers.
 * Services never read switches at start-up only: `ctx.switches` is live, so a switch flipped on a
 * running stack takes effect on the next request.
 */
import type { Router } from 'express';
import type { Logger } from 'pino';
import type { Redis } from 'ioredis';
import type { Registry as PromRegistry } from 'prom-client';
import type { Switches, Variant } from '../../core/index.ts';

/** A way to run SQL. Every query is named after the sql-audit catalog entry it corresponds to. */
export interface Db {
  query<R extends Record<string, unknown> = Record<string, unknown>>(name: string, sql: string, params?: readonly unknown[], options?: { statementTimeoutMs?: number }): Promise<R[]>;
  /** Runs fn in a transaction on one connection. */
  transaction<T>(fn: (tx: Pick<Db, 'query'>) => Promise<T>): Promise<T>;
}

/**
 * Hands out Db handles. With `pooling` off each query opens and closes its own connection (NF-1);
 * with `shared-pool` off each module gets its own pool (MO-1: 48+ clients); on, one pool per service.
 */
export interface DbProvider {
  forModule(moduleName: string): Db;
  /** Pools currently open, with their in-use / idle / waiting counts (metrics, pool budget). */
  stats(): { module: string; total: number; idle: number; waiting: number; max: number }[];
}

/** Cache-aside: in-process L1 + Redis when the `cache` switch is on, always a miss when off. */
export interface Cache {
  getOrLoad<T>(key: string, ttlS: number, load: () => Promise<T>): Promise<{ value: T; hit: boolean }>;
  invalidate(...keys: string[]): Promise<void>;
  /** Deletes every key with this prefix (e.g. a user's feed pages). */
  invalidatePrefix(prefix: string): Promise<void>;
}

/** Domain events to RabbitMQ (publisher confirms): comment.created, follow.created, message.created… */
export interface DomainEvent {
  type: string;
  /** User ids to notify. */
  recipients: number[];
  payload: Record<string, unknown>;
}

export interface ServiceContext {
  service: string;
  variant: Variant;
  readonly switches: Readonly<Switches>;
  db: DbProvider;
  redis: Redis;
  cache: Cache;
  publish(event: DomainEvent): Promise<void>;
  log: Logger;
  metrics: PromRegistry;
  config: PlatformConfig;
}

export interface PlatformConfig {
  jwtSecret: string;
  /** Statement timeout for ranking/analytics and search queries when `statement-timeouts` is on. */
  statementTimeoutMs: number;
  maxPageSize: number;
}

export interface ServiceDescriptor {
  /** "auth", "users", "posts", "comments", "search"… also the gateway's route prefix owner. */
  id: string;
  description: string;
  create(ctx: ServiceContext): Router | Promise<Router>;
}

/** The gateway authenticates and forwards the caller's id in this header (loopback hops only). */
export const USER_ID_HEADER = 'x-user-id';
