/**
 * The reference platform's public surface for the harness: every other area reaches the platform
 * through this file (issue 17; .dependency-cruiser.cjs enforces it).
 *
 * Importing it stays light (tokens, the seed and its dataset vocabulary, small helpers): the run's
 * setup data, segment instances and the chat child import it, and must not load Express,
 * Socket.IO or amqplib for nothing. The entry points that start servers or workers load their
 * modules on first call (`await import`), so they are async functions with the same arguments and
 * results as the functions they forward to. seed is loaded with the index (pg and argon2, which the
 * setup data loaded before): benchmarks time it, and a first call should not include a module load.
 */
import type { HarnessOptions } from './services/common/test-harness.ts';

// Switches of a running platform, over its admin API.
export { putSwitches, switchChangeProblem, type SwitchesAnswer } from './switches-client.ts';

// Access tokens, minted with the platform's secret (setup data, probes, chaos, benchmarks).
export { signAccessToken, verifyAccessToken } from './shared/tokens.ts';

// The seeded dataset's vocabulary: scales, dataset_info, the deterministic generators.
export { SCALE_NAMES, parseScale, type ScaleName, type ScaleSpec } from './seed/scales.ts';
export { readDatasetInfo, type DatasetInfo } from './seed/dataset-info.ts';
export { createRng, type Rng } from './seed/prng.ts';
export { zipfTable, type ZipfTable } from './seed/zipf.ts';
export { seed, type SeedOptions, type SeedEvent, type SeedResult } from './seed/index.ts';

// Realtime: options and names, the AMQP wire, chat history cursors, wire types.
export { realtimeNames, STORY_CLEANUP_BATCH } from './realtime/options.ts';
export type { RealtimeOptions, RealtimeTuning } from './realtime/options.ts';
export { newWireEvent, type WireEvent } from './realtime/amqp/event-wire.ts';
export { notificationTopology } from './realtime/amqp/topology.ts';
export { decodeCursor as decodeHistoryCursor } from './realtime/chat/history-paging.ts';
export type { ChatInstance, NewMessage, NotificationsWorker, SendAck, StoryCleanupDeps, StoryCleanupResult } from './realtime/index.ts';

// Gateway and service building blocks the probes assemble (NF-6) and the benchmarks drive.
export { memoryRateLimiter, redisRateLimiter, RATE_RULES, type RateLimiter, type RateRuleId } from './gateway/rate-limit.ts';
export type { DownstreamId } from './gateway/routes.ts';
export type { GatewayOptions, StartedGateway } from './gateway/index.ts';
export { encodeCursor as encodePageCursor, type PageCursor } from './services/common/cursor.ts';
export { createSwitchStore, type SwitchStore } from './shared/switch-store.ts';
export { createLogger } from './shared/logger.ts';
export { createMetricsRegistry } from './shared/metrics.ts';
export type { PlatformInfra, PlatformOptions, StartedPlatform } from './platform.ts';
export type { Harness, HarnessOptions } from './services/common/test-harness.ts';

type RealtimeModule = typeof import('./realtime/index.ts');
/** The running stack the harness creates its database on (the harness's own type: the platform does not import the stack). */
type HarnessStack = Parameters<typeof import('./services/common/test-harness.ts').startHarness>[0];

/** The whole platform (gateway, services, realtime) on running infrastructure, given its URLs: platform.ts. */
export async function startPlatform(...a: Parameters<typeof import('./platform.ts').startPlatform>) {
  return (await import('./platform.ts')).startPlatform(...a);
}

/** One chat instance (Socket.IO + HTTP history): realtime/chat/chat-instance.ts. */
export async function startChatInstance(...a: Parameters<RealtimeModule['startChatInstance']>) {
  return (await import('./realtime/index.ts')).startChatInstance(...a);
}

/** The notifications worker (RabbitMQ consumer): realtime/notifications/worker.ts. */
export async function startNotificationsWorker(...a: Parameters<RealtimeModule['startNotificationsWorker']>) {
  return (await import('./realtime/index.ts')).startNotificationsWorker(...a);
}

/** One expired-story cleanup run on the caller's connections: realtime/stories/story-cleanup.ts. */
export async function cleanupExpiredStories(...a: Parameters<RealtimeModule['cleanupExpiredStories']>) {
  return (await import('./realtime/index.ts')).cleanupExpiredStories(...a);
}

/** One gateway process's server: gateway/index.ts. */
export async function startGateway(...a: Parameters<typeof import('./gateway/index.ts').startGateway>) {
  return (await import('./gateway/index.ts')).startGateway(...a);
}

/**
 * Some of the platform's services, by id, each as its own server on a fresh database of the stack
 * (services/common/test-harness.ts, which the services' integration tests use too).
 */
export async function startServiceHarness(stack: HarnessStack, name: string, serviceIds: readonly string[], opts: HarnessOptions) {
  const [{ startHarness }, { SERVICES }] = await Promise.all([import('./services/common/test-harness.ts'), import('./services/index.ts')]);
  return startHarness(stack, name, serviceIds.map((id) => SERVICES.get(id)), opts);
}
