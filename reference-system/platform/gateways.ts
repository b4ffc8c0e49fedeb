/**
 * The gateways in front: one or more in this process (each on its own port), or a cluster of
 * gateway processes behind one port (`gatewayProcesses` above 1).
 */
import { startGateway, type StartedGateway } from '../gateway/index.ts';
import { startGatewayCluster } from '../gateway/cluster.ts';
import type { Downstreams } from './downstreams.ts';
import type { PlatformParts } from './parts.ts';

/** What every gateway gets, in this process or in a cluster worker. */
export function gatewayBase(p: Pick<PlatformParts, 'opts' | 'endpoints' | 'jwtSecret'>, downstreams: Downstreams, serviceUrls: Record<string, string>) {
  const { opts } = p;
  const { redisUrl, redisKeyPrefix, databaseUrl, adminDatabaseUrl, amqpUrl } = p.endpoints;
  return {
    downstreams,
    jwtSecret: p.jwtSecret,
    redisUrl,
    redisKeyPrefix,
    databaseUrl,
    adminDatabaseUrl,
    amqpUrl,
    // Split services run in other processes: tell them about switch changes.
    remoteSwitchUrls: opts.split ? Object.values(serviceUrls) : [],
    ...(opts.rateLimitFailClosed !== undefined ? { rateLimitFailClosed: opts.rateLimitFailClosed } : {}),
    ...(opts.readyTimeoutMs !== undefined ? { readyTimeoutMs: opts.readyTimeoutMs } : {}),
  };
}

/** Starts the gateways; returns their URLs, the first being the platform's "gateway". */
export async function startGateways(p: PlatformParts, downstreams: Downstreams, serviceUrls: Record<string, string>): Promise<string[]> {
  const base = gatewayBase(p, downstreams, serviceUrls);
  const processes = p.opts.gatewayProcesses ?? 1;
  if (processes > 1) {
    const gc = await startGatewayCluster(processes, { ...base, variant: p.opts.variant, switches: { ...p.store.current } }, p.store);
    p.stoppers.add('gateway-1', () => gc.stop());
    p.log.info({ url: gc.url, pids: gc.pids }, 'gateway cluster listening');
    return [gc.url];
  }
  const gateways: StartedGateway[] = [];
  for (let i = 0; i < (p.opts.gatewayInstances ?? 1); i++) {
    const gw = await startGateway({ ...base, instanceId: `gateway-${i + 1}`, store: p.store, metrics: p.metrics, log: p.log.child({ service: 'gateway', instance: i + 1 }) });
    gateways.push(gw);
    p.stoppers.add(`gateway-${i + 1}`, () => gw.stop());
  }
  return gateways.map((g) => g.url);
}

/** The platform's service map: gateway, gateway-2..., then the services, then chat (the first instance). */
export function serviceMap(gatewayUrls: readonly string[], serviceUrls: Record<string, string>, chatUrls: readonly string[]): Record<string, string> {
  const services: Record<string, string> = { gateway: gatewayUrls[0]! };
  gatewayUrls.slice(1).forEach((url, i) => (services[`gateway-${i + 2}`] = url));
  Object.assign(services, serviceUrls);
  if (chatUrls[0]) services.chat = chatUrls[0];
  return services;
}
