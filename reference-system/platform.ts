/**
 * Starts the reference platform on running infrastructure (URLs: `infra`): one HTTP server per
 * service (in this process, or one child process each with `split`), the realtime side (chat
 * instances, notifications worker), and one or more gateways in front. Everything listens on
 * 127.0.0.1 free ports. The returned handle holds the live switch store: `switches.set(...)` (or
 * PUT /admin/switches on a gateway) changes the running platform.
 * Options are resolved once (platform/endpoints.ts), then each step in platform/ starts one part
 * and registers how to stop it; a failing step stops what the earlier ones started.
 */
import { switchesFor } from '../core/index.ts';
import { createLogger } from './shared/logger.ts';
import { createMetricsRegistry } from './shared/metrics.ts';
import { createSwitchStore } from './shared/switch-store.ts';
import { newSecret } from './shared/tokens.ts';
import { downstreamTargets, routeDownstreams } from './platform/downstreams.ts';
import { resolveEndpoints } from './platform/endpoints.ts';
import { serviceMap, startGateways } from './platform/gateways.ts';
import { platformHandle } from './platform/handle.ts';
import type { PlatformOptions, StartedPlatform } from './platform/options.ts';
import type { PlatformParts } from './platform/parts.ts';
import { applyIndexesAtStart, flushRedisNamespaceAtStart } from './platform/prepare.ts';
import { startRealtime } from './platform/realtime.ts';
import { startServices } from './platform/services.ts';
import { createStoppers } from './platform/stoppers.ts';

export type { PlatformInfra, PlatformOptions, StartedPlatform } from './platform/options.ts';
export { CHILD_ENV } from './platform/service-child.ts';

export async function startPlatform(opts: PlatformOptions): Promise<StartedPlatform> {
  const p = platformParts(opts);
  try {
    const { adminDatabaseUrl, redisUrl, redisKeyPrefix } = p.endpoints;
    if (opts.applyIndexes ?? !opts.only) await applyIndexesAtStart(adminDatabaseUrl, p.store.current, p.log);
    if (opts.flushRedisNamespace ?? !opts.only) await flushRedisNamespaceAtStart(redisUrl, redisKeyPrefix, p.log);
    const serviceUrls = await startServices(p);
    // A split child: its services only.
    if (opts.only) return platformHandle(p, { services: serviceUrls, gateways: [], chatInstances: [], hops: [] });
    const chatUrls = (opts.realtime ?? true) ? await startRealtime(p) : [];
    const { hops, downstreams } = await routeDownstreams(p, downstreamTargets(serviceUrls, chatUrls));
    const gateways = await startGateways(p, downstreams, serviceUrls);
    return platformHandle(p, { services: serviceMap(gateways, serviceUrls, chatUrls), gateways, chatInstances: chatUrls, hops });
  } catch (e) {
    await p.stoppers.stopAll();
    throw e;
  }
}

/** The options resolved, and the parts every step shares (switch store, metrics, logger, stoppers). */
function platformParts(opts: PlatformOptions): PlatformParts {
  const log = opts.log ?? createLogger({ name: 'platform' });
  return {
    opts,
    endpoints: resolveEndpoints(opts),
    log,
    metrics: createMetricsRegistry(),
    store: createSwitchStore(opts.variant, opts.switches ?? switchesFor(opts.variant)),
    jwtSecret: opts.jwtSecret ?? newSecret(),
    stoppers: createStoppers((e, what) => log.warn({ err: (e as Error).message, what }, 'stop failed')),
  };
}
