/** The platform's services: each an HTTP server in this process, or (split) a child process each. */
import type { ServiceDescriptor } from '../shared/context.ts';
import { SERVICES } from '../services/index.ts';
import { createServiceContext, type OwnedServiceContext } from '../shared/service-context.ts';
import { startServiceServer, type StartedServiceServer } from '../shared/service-server.ts';
import type { PlatformParts } from './parts.ts';
import { startServiceChild } from './service-child.ts';

/** Starts the wanted services (all, or `only`); returns service id -> base URL. */
export async function startServices(p: PlatformParts): Promise<Record<string, string>> {
  const { only } = p.opts;
  const wanted = SERVICES.all().filter((d) => !only || only.includes(d.id));
  return p.opts.split && !only ? startServiceChildren(p, wanted) : startServicesInProcess(p, wanted);
}

async function startServiceChildren(p: PlatformParts, wanted: readonly ServiceDescriptor[]): Promise<Record<string, string>> {
  const { jwtSecret, store, log } = p;
  const { database, databaseUrl, redisUrl, amqpUrl, redisKeyPrefix } = p.endpoints;
  const childOpts = { ...p.opts, jwtSecret, database, databaseUrl, redisUrl, amqpUrl, redisKeyPrefix, switches: { ...store.current } };
  // In parallel: each child spends most of its start-up compiling TypeScript.
  const started = await Promise.allSettled(wanted.map((d) => startServiceChild(d.id, childOpts, log)));
  const urls: Record<string, string> = {};
  started.forEach((r, i) => {
    if (r.status !== 'fulfilled') return;
    urls[wanted[i]!.id] = r.value.url;
    p.stoppers.add(wanted[i]!.id, r.value.stop);
  });
  const failed = started.find((r) => r.status === 'rejected');
  if (failed) throw (failed as PromiseRejectedResult).reason;
  return urls;
}

async function startServicesInProcess(p: PlatformParts, wanted: readonly ServiceDescriptor[]): Promise<Record<string, string>> {
  const urls: Record<string, string> = {};
  for (const d of wanted) {
    const ctx = serviceContext(p, d.id);
    let server: StartedServiceServer;
    try {
      server = await startServiceServer(d, ctx, { store: p.store });
    } catch (e) {
      await ctx.close();
      throw e;
    }
    urls[d.id] = server.url;
    p.stoppers.add(d.id, async () => (await server.close(), await ctx.close()));
  }
  return urls;
}

function serviceContext(p: PlatformParts, service: string): OwnedServiceContext {
  const { databaseUrl, redisUrl, amqpUrl, redisKeyPrefix } = p.endpoints;
  return createServiceContext({
    service,
    variant: p.opts.variant,
    switches: p.store.current,
    databaseUrl,
    redisUrl,
    amqpUrl,
    jwtSecret: p.jwtSecret,
    redisKeyPrefix,
    metrics: p.metrics,
    log: p.log.child({ service }),
    ...(p.opts.poolMax ? { poolMax: p.opts.poolMax } : {}),
  });
}
