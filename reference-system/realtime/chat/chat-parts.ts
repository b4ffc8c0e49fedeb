/**
 * What a chat instance opens before it serves: its log and metrics, the pg pool, the Redis
 * clients (commands, and the adapter's pub/sub pair), the RabbitMQ publisher, and the services
 * built on them (membership, rate limit, presence, the insert batcher). closeChatParts() closes
 * them in the order that loses nothing: presence's last flush, unconfirmed publishes, then the
 * connections.
 */
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { createLogger } from '../../shared/logger.ts';
import { createMetricsRegistry } from '../../shared/metrics.ts';
import type { ClosableDbProvider } from '../../shared/db.ts';
import type { Db } from '../../shared/context.ts';
import type { ResolvedOptions } from '../options.ts';
import { openDb, openRedis, quitRedis } from '../infra.ts';
import { openConfirmPublisher, type ConfirmPublisher } from '../amqp/publisher.ts';
import { createPresenceTracker, type PresenceTracker } from '../presence/presence.ts';
import { createMembership, type Membership } from './membership.ts';
import { createRateLimiter, type RateLimiter } from './rate-limit.ts';
import { chatMetrics, type ChatMetrics } from './chat-metrics.ts';
import { MessageBatcher } from './message-batcher.ts';

export interface ChatParts {
  log: Logger;
  registry: Registry;
  metrics: ChatMetrics;
  dbProvider: ClosableDbProvider;
  db: Db;
  /** Commands (membership cache, rate limit, presence, locks). */
  redis: Redis;
  /** The Socket.IO Redis adapter's pair. */
  pub: Redis;
  sub: Redis;
  publisher: ConfirmPublisher;
  membership: Membership;
  rateLimiter: RateLimiter;
  presence: PresenceTracker;
  batcher: MessageBatcher;
}

export function openChatParts(o: ResolvedOptions, instanceId: string): ChatParts {
  const { names, tuning } = o;
  const log = createLogger({ name: `chat:${instanceId}`, level: tuning.logLevel });
  const registry = createMetricsRegistry();
  const metrics = chatMetrics(registry, instanceId);
  const dbProvider = openDb(o.databaseUrl, 'chat', o.switches, registry, log, tuning.dbPoolMax);
  const db = dbProvider.forModule('chat');
  const redis = openRedis(o.redisUrl, `${instanceId}-cmd`, log);
  const pub = openRedis(o.redisUrl, `${instanceId}-pub`, log, true);
  const sub = openRedis(o.redisUrl, `${instanceId}-sub`, log, true);
  const publisher = openConfirmPublisher({
    url: o.amqpUrl,
    name: `${instanceId}-publisher`,
    log,
    timeoutMs: tuning.publishTimeoutMs,
    setup: async (_conn, ch) => {
      await ch.assertExchange(names.exchange, 'topic', { durable: true });
    },
  });
  const membership = createMembership(db, redis, o.switches, names.redisPrefix, metrics.membershipLookup);
  const rateLimiter = createRateLimiter(redis, names.redisPrefix, () => tuning.messagesPerMinute);
  const presence = createPresenceTracker({ db, redis, switches: o.switches, redisPrefix: names.redisPrefix, flushIntervalMs: tuning.presenceFlushIntervalMs, log });
  const batcher = new MessageBatcher(db);
  return { log, registry, metrics, dbProvider, db, redis, pub, sub, publisher, membership, rateLimiter, presence, batcher };
}

/** After the server closed and in-flight work settled. */
export async function closeChatParts(p: ChatParts): Promise<void> {
  await p.presence.stop();
  await p.publisher.stop();
  await quitRedis(p.redis, p.pub, p.sub);
  await p.dbProvider.close();
}
