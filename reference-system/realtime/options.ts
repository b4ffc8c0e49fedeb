/**
 * Options of the realtime processes, validated once where they enter (startChatInstance,
 * startNotificationsWorker), and the names derived from them: Redis key prefix, AMQP exchange and
 * queue names. Tuning values have the assessments' defaults; tests and the bench shorten them.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { invalidInput } from '../../core/index.ts';
import type { Switches } from '../../core/index.ts';

/**
 * Rows one batched story-cleanup statement deletes (stories/story-cleanup.ts); defined here so the
 * harness reads it without loading the cleanup's Redis and Postgres clients.
 */
export const STORY_CLEANUP_BATCH = 1_000;

export interface RealtimeTuning {
  /** Per-user message budget in a sliding minute (CP-3: 60, then the realtime form of a 429). */
  messagesPerMinute: number;
  historyDefaultPageSize: number;
  /** Maximum history page with `keyset-paging` on; off, the page size is whatever was asked (CP-3). */
  historyMaxPageSize: number;
  /** How often changed presence is written to Postgres with `presence-batching` on (CP-6: 30 s). */
  presenceFlushIntervalMs: number;
  /** Expired-story cleanup period on each chat instance (CP-7: 15 min); 0 = not scheduled. */
  storyCleanupIntervalMs: number;
  /** Tries per notification before the dead-letter queue (CP-8: max 3). */
  notificationMaxAttempts: number;
  /** First retry delay; each next one is 4x longer (exponential backoff). */
  notificationRetryBaseDelayMs: number;
  /** Main queue message TTL and max length with `amqp-reliability` on (CP-9). */
  queueMessageTtlMs: number;
  queueMaxLength: number;
  /** How long publish() keeps retrying an unconfirmed event through broker outages. */
  publishTimeoutMs: number;
  /** pg pool size of one chat instance (CP-2 names max 50 for the whole service). */
  dbPoolMax: number;
  /**
   * Prefix for AMQP exchange/queue names and Redis keys so test runs sharing one broker do not
   * consume each other's events. Empty for the platform: the exchange is then `brink.events`.
   */
  namespace: string;
  logLevel: string;
}

export const DEFAULT_TUNING: RealtimeTuning = {
  messagesPerMinute: 60,
  historyDefaultPageSize: 50,
  historyMaxPageSize: 100,
  presenceFlushIntervalMs: 30_000,
  storyCleanupIntervalMs: 15 * 60_000,
  notificationMaxAttempts: 3,
  notificationRetryBaseDelayMs: 1_000,
  queueMessageTtlMs: 24 * 3600_000,
  queueMaxLength: 100_000,
  publishTimeoutMs: 30_000,
  dbPoolMax: 20,
  namespace: '',
  logLevel: process.env.BRINK_LOG_LEVEL ?? 'warn',
};

const urlOf = (schemes: string[]) =>
  z.string().refine((s) => {
    try {
      return schemes.includes(new URL(s).protocol.replace(/:$/, ''));
    } catch {
      return false;
    }
  }, `a ${schemes.join('/')} URL`);

const tuningSchema = z
  .object({
    messagesPerMinute: z.number().int().min(1).max(1_000_000),
    historyDefaultPageSize: z.number().int().min(1).max(10_000),
    historyMaxPageSize: z.number().int().min(1).max(10_000),
    presenceFlushIntervalMs: z.number().int().min(10).max(3_600_000),
    storyCleanupIntervalMs: z.number().int().min(0).max(24 * 3_600_000),
    notificationMaxAttempts: z.number().int().min(1).max(10),
    notificationRetryBaseDelayMs: z.number().int().min(1).max(600_000),
    queueMessageTtlMs: z.number().int().min(1_000),
    queueMaxLength: z.number().int().min(1),
    publishTimeoutMs: z.number().int().min(100).max(600_000),
    dbPoolMax: z.number().int().min(1).max(200),
    namespace: z.string().regex(/^[a-z0-9._-]*$/i, 'letters, digits, ".", "_" or "-"').max(64),
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
  })
  .partial();

const optionsSchema = z.object({
  databaseUrl: urlOf(['postgres', 'postgresql']),
  redisUrl: urlOf(['redis', 'rediss']),
  amqpUrl: urlOf(['amqp', 'amqps']),
  jwtSecret: z.string().min(16, 'at least 16 characters'),
  switches: z.record(z.string(), z.boolean()),
  host: z.string().min(1).optional(),
  port: z.number().int().min(0).max(65_535).optional(),
  instanceId: z.string().min(1).max(100).optional(),
  tuning: tuningSchema.optional(),
});

export interface RealtimeOptions {
  databaseUrl: string;
  redisUrl: string;
  amqpUrl: string;
  jwtSecret: string;
  /** May be a live object that changes later; read per event. */
  switches: Readonly<Switches>;
  host?: string;
  /** 0 = a free port. */
  port?: number;
  instanceId?: string;
  /** Optional overrides of the assessments' defaults (tests and the bench shorten intervals). */
  tuning?: Partial<RealtimeTuning>;
}

export interface ResolvedOptions extends RealtimeOptions {
  host: string;
  port: number;
  tuning: RealtimeTuning;
  names: RealtimeNames;
}

/** Validates once; keeps the caller's live switches object (never copied). */
/** A builder's configuration: the validated options and the process's id (given, or `<prefix>-<random>`). */
export function configure(input: RealtimeOptions, role: string, idPrefix: string): { options: ResolvedOptions; id: string } {
  const options = resolveOptions(input, role);
  return { options, id: options.instanceId ?? `${idPrefix}-${randomUUID().slice(0, 8)}` };
}

export function resolveOptions(opts: RealtimeOptions, role: string): ResolvedOptions {
  const parsed = optionsSchema.safeParse(opts);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = issue.path.join('.') || '(options)';
    throw invalidInput(`realtime ${role} option ${path}: ${issue.message}`, 'see reference-system/realtime/README.md for the options');
  }
  const tuning = { ...DEFAULT_TUNING, ...stripUndefined(opts.tuning ?? {}) };
  if (tuning.historyDefaultPageSize > tuning.historyMaxPageSize) {
    throw invalidInput(`realtime ${role} option tuning.historyDefaultPageSize (${tuning.historyDefaultPageSize}) exceeds historyMaxPageSize (${tuning.historyMaxPageSize})`);
  }
  return { ...opts, host: opts.host ?? '127.0.0.1', port: opts.port ?? 0, tuning, names: realtimeNames(opts.databaseUrl, tuning.namespace) };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export interface RealtimeNames {
  /** Redis key prefix: per database, so platforms on different databases sharing a Redis never mix. */
  redisPrefix: string;
  /** Socket.IO Redis adapter channel prefix (chat instances and the notifications worker share it). */
  socketIoKey: string;
  exchange: string;
}

export function realtimeNames(databaseUrl: string, namespace: string): RealtimeNames {
  let db = 'db';
  try {
    db = decodeURIComponent(new URL(databaseUrl).pathname.replace(/^\//, '')) || 'db';
  } catch {
    // validated elsewhere; keep the default
  }
  const redisPrefix = `rt:${db}:${namespace}`;
  return { redisPrefix, socketIoKey: `${redisPrefix}socket.io`, exchange: `${namespace}brink.events` };
}
