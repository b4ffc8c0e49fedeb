/**
 * Starts the reference platform on a running stack: one HTTP server per service (in this process,
 * or one child process each with `split`), the realtime side (chat instances, notifications
 * worker), and one or more gateways in front. Everything listens on 127.0.0.1 free ports.
 * The returned handle holds the live switch store: `switches.set(...)` (or PUT /admin/switches on
 * a gateway) changes the running platform.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import pg from 'pg';
import type { Logger } from 'pino';
import type { Registry as PromRegistry } from 'prom-client';
import { PROJECT_ROOT } from '../core/index.ts';
import { withDatabase, type StackState } from '../stack/index.ts';
import { applyIndexSwitches } from '../sql-audit/index.ts';
import { startGateway, type DownstreamId, type StartedGateway } from './gateway/index.ts';
import { startGatewayCluster } from './gateway/cluster.ts';
import { SERVICES } from './services/index.ts';
import { deleteByPrefix } from './shared/cache.ts';
import { createLogger } from './shared/logger.ts';
import { closeRedis, createRedisClient, waitForRedis } from './shared/redis.ts';
import { createMetricsRegistry } from './shared/metrics.ts';
import { createServiceContext, type OwnedServiceContext } from './shared/service-context.ts';
import { startServiceServer, type StartedServiceServer } from './shared/service-server.ts';
import { createSwitchStore, type SwitchStore } from './shared/switch-store.ts';
import { newSecret } from './shared/tokens.ts';
import { switchesFor, type Switches, type Variant } from '../core/index.ts';
import { createHop, deleteHop, type Hop } from './toxiproxy-hops.ts';

export interface PlatformOptions {
  stack: StackState;
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
  /** Database name; defaults to the stack's. */
  database?: string;
  /** What the services connect to; defaults to PgBouncer (Toxiproxy's pgbouncer proxy with `proxiedInfra`). */
  databaseUrl?: string;
  /** Direct Postgres for index DDL; defaults to the stack's postgres URL with `database`. */
  adminDatabaseUrl?: string;
  redisUrl?: string;
  amqpUrl?: string;
  /** Services reach Postgres, Redis and RabbitMQ through the stack's Toxiproxy proxies. */
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

export interface StartedPlatform {
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
  stop(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

type Stoppable = { stop(): Promise<void> };

export async function startPlatform(opts: PlatformOptions): Promise<StartedPlatform> {
  const stack = opts.stack;
  const database = opts.database ?? stack.database;
  const log = opts.log ?? createLogger({ name: 'platform' });
  const metrics = createMetricsRegistry();
  const store = createSwitchStore(opts.variant, opts.switches ?? switchesFor(opts.variant));
  const jwtSecret = opts.jwtSecret ?? newSecret();
  const databaseUrl = opts.databaseUrl ?? withDatabase(opts.proxiedInfra ? stack.urls.pgbouncerProxied : stack.urls.pgbouncer, database);
  const adminDatabaseUrl = opts.adminDatabaseUrl ?? withDatabase(stack.urls.postgres, database);
  const redisUrl = opts.redisUrl ?? (opts.proxiedInfra ? stack.urls.redisProxied : stack.urls.redis);
  const amqpUrl = opts.amqpUrl ?? (opts.proxiedInfra ? stack.urls.amqpProxied : stack.urls.amqp);
  const redisKeyPrefix = opts.redisKeyPrefix ?? `brink:${database}:`;
  const hopPrefix = opts.hopPrefix ?? 'svc-';

  const stoppers: { id: string; stop: () => Promise<void> }[] = [];
  const stopped = new Set<string>();
  const stopAll = async () => {
    for (const s of [...stoppers].reverse()) {
      if (stopped.has(s.id)) continue;
      stopped.add(s.id);
      await s.stop().catch((e) => log.warn({ err: (e as Error).message, what: s.id }, 'stop failed'));
    }
  };

  try {
    if (opts.applyIndexes ?? !opts.only) {
      const client = new pg.Client({ connectionString: adminDatabaseUrl, connectionTimeoutMillis: 5_000 });
      await client.connect();
      try {
        const r = await applyIndexSwitches(client, store.current);
        if (r.changes.length > 0) log.info({ changes: r.changes.map((c) => `${c.id} ${c.direction}`), totalMs: Math.round(r.totalMs) }, 'index switches applied');
      } finally {
        await client.end();
      }
    }

    if (opts.flushRedisNamespace ?? !opts.only) {
      const redis = createRedisClient({ url: redisUrl, keyPrefix: redisKeyPrefix, log });
      try {
        if (await waitForRedis(redis, 3_000)) {
          const n = await deleteByPrefix(redis, '');
          if (n > 0) log.info({ keys: n, prefix: redisKeyPrefix }, 'cleared the redis namespace left by an earlier platform');
        } else log.warn({ redisUrl }, 'redis not reachable at start; continuing (cache misses, rate limits fail open)');
      } finally {
        await closeRedis(redis);
      }
    }

    const serviceUrls: Record<string, string> = {};
    const wanted = SERVICES.all().filter((d) => !opts.only || opts.only.includes(d.id));
    if (opts.split && !opts.only) {
      // In parallel: each child spends most of its start-up compiling TypeScript.
      const started = await Promise.allSettled(
        wanted.map((d) => startServiceChild(d.id, { ...opts, jwtSecret, database, databaseUrl, redisUrl, amqpUrl, redisKeyPrefix, switches: { ...store.current } }, log)),
      );
      started.forEach((r, i) => {
        if (r.status === 'fulfilled') {
          serviceUrls[wanted[i]!.id] = r.value.url;
          stoppers.push({ id: wanted[i]!.id, stop: r.value.stop });
        }
      });
      const failed = started.find((r) => r.status === 'rejected');
      if (failed) throw (failed as PromiseRejectedResult).reason;
    } else {
      for (const d of wanted) {
        const ctx: OwnedServiceContext = createServiceContext({
          service: d.id,
          variant: opts.variant,
          switches: store.current,
          databaseUrl,
          redisUrl,
          amqpUrl,
          jwtSecret,
          redisKeyPrefix,
          metrics,
          log: log.child({ service: d.id }),
          ...(opts.poolMax ? { poolMax: opts.poolMax } : {}),
        });
        let server: StartedServiceServer;
        try {
          server = await startServiceServer(d, ctx, { store });
        } catch (e) {
          await ctx.close();
          throw e;
        }
        serviceUrls[d.id] = server.url;
        stoppers.push({ id: d.id, stop: async () => (await server.close(), await ctx.close()) });
      }
    }

    if (opts.only) {
      return handle({ store, jwtSecret, database, metrics, services: serviceUrls, gateways: [], chatInstances: [], hops: [], stoppers, stopped, stopAll, variant: opts.variant });
    }

    const chatUrls: string[] = [];
    if (opts.realtime ?? true) {
      try {
        const rt = await import('./realtime/index.ts');
        const rtOpts = { databaseUrl, redisUrl, amqpUrl, jwtSecret, switches: store.current };
        for (let i = 0; i < (opts.chatInstances ?? 1); i++) {
          const chat: Stoppable & { url: string } = await rt.startChatInstance({ ...rtOpts, port: 0, instanceId: `chat-${i + 1}` });
          chatUrls.push(chat.url);
          stoppers.push({ id: `chat-${i + 1}`, stop: () => chat.stop() });
        }
        const worker: Stoppable = await rt.startNotificationsWorker({ ...rtOpts, instanceId: 'notifications' });
        stoppers.push({ id: 'notifications', stop: () => worker.stop() });
      } catch (e) {
        log.error({ err: (e as Error).message }, 'realtime side did not start; chat routes will answer 503');
      }
    }

    const hops: Hop[] = [];
    const downstreams: Partial<Record<DownstreamId, string[]>> = {};
    const targets: [DownstreamId, string, string][] = [
      ...Object.entries(serviceUrls).map(([id, url]) => [id as DownstreamId, id, url] as [DownstreamId, string, string]),
      ...chatUrls.map((url, i) => ['chat', i === 0 ? 'chat' : `chat-${i + 1}`, url] as [DownstreamId, string, string]),
    ];
    for (const [service, name, url] of targets) {
      let target = url;
      if (opts.toxiproxyHops) {
        const hop = await createHop(stack.urls.toxiproxy, `${hopPrefix}${name}`, url);
        hops.push(hop);
        stoppers.unshift({ id: `hop-${name}`, stop: () => deleteHop(stack.urls.toxiproxy, hop.name) });
        target = hop.url;
      }
      (downstreams[service] ??= []).push(target);
    }

    // What every gateway gets, in this process or in a cluster worker.
    const gatewayBase = {
      downstreams,
      jwtSecret,
      redisUrl,
      redisKeyPrefix,
      databaseUrl,
      adminDatabaseUrl,
      amqpUrl,
      remoteSwitchUrls: opts.split ? Object.values(serviceUrls) : [],
      ...(opts.rateLimitFailClosed !== undefined ? { rateLimitFailClosed: opts.rateLimitFailClosed } : {}),
      ...(opts.readyTimeoutMs !== undefined ? { readyTimeoutMs: opts.readyTimeoutMs } : {}),
    };
    if ((opts.gatewayProcesses ?? 1) > 1) {
      const gc = await startGatewayCluster(opts.gatewayProcesses!, { ...gatewayBase, variant: opts.variant, switches: { ...store.current } }, store);
      stoppers.push({ id: 'gateway-1', stop: () => gc.stop() });
      log.info({ url: gc.url, pids: gc.pids }, 'gateway cluster listening');
      const services: Record<string, string> = { gateway: gc.url, ...serviceUrls };
      if (chatUrls[0]) services.chat = chatUrls[0];
      return handle({ store, jwtSecret, database, metrics, services, gateways: [gc.url], chatInstances: chatUrls, hops, stoppers, stopped, stopAll, variant: opts.variant });
    }

    const gateways: StartedGateway[] = [];
    for (let i = 0; i < (opts.gatewayInstances ?? 1); i++) {
      const gw = await startGateway({
        ...gatewayBase,
        instanceId: `gateway-${i + 1}`,
        store,
        metrics,
        log: log.child({ service: 'gateway', instance: i + 1 }),
      });
      gateways.push(gw);
      stoppers.push({ id: `gateway-${i + 1}`, stop: () => gw.stop() });
    }

    const services: Record<string, string> = { gateway: gateways[0]!.url };
    gateways.slice(1).forEach((g, i) => (services[`gateway-${i + 2}`] = g.url));
    Object.assign(services, serviceUrls);
    if (chatUrls[0]) services.chat = chatUrls[0];
    return handle({ store, jwtSecret, database, metrics, services, gateways: gateways.map((g) => g.url), chatInstances: chatUrls, hops, stoppers, stopped, stopAll, variant: opts.variant });
  } catch (e) {
    await stopAll();
    throw e;
  }
}

function handle(p: {
  store: SwitchStore;
  jwtSecret: string;
  database: string;
  metrics: PromRegistry;
  services: Record<string, string>;
  gateways: string[];
  chatInstances: string[];
  hops: Hop[];
  stoppers: { id: string; stop: () => Promise<void> }[];
  stopped: Set<string>;
  stopAll: () => Promise<void>;
  variant: Variant;
}): StartedPlatform {
  return {
    variant: p.variant,
    switches: p.store,
    services: p.services,
    gateways: p.gateways,
    chatInstances: p.chatInstances,
    hops: p.hops,
    jwtSecret: p.jwtSecret,
    database: p.database,
    metrics: p.metrics,
    async stopService(id) {
      const s = p.stoppers.find((x) => x.id === id);
      if (!s) throw new Error(`no service "${id}" on this platform; expected one of: ${p.stoppers.map((x) => x.id).join(', ')}`);
      if (p.stopped.has(id)) return;
      p.stopped.add(id);
      await s.stop();
    },
    stop: p.stopAll,
    [Symbol.asyncDispose]: p.stopAll,
  };
}

/** What a split child needs, passed as JSON in an environment variable (never on the command line: it holds the JWT secret). */
export const CHILD_ENV = 'BRINK_PLATFORM_CHILD';

async function startServiceChild(id: string, opts: PlatformOptions & { jwtSecret: string; switches: Switches }, log: Logger): Promise<{ url: string; stop: () => Promise<void> }> {
  const payload = JSON.stringify({ ...opts, log: undefined, only: [id], split: false });
  const child: ChildProcess = spawn(process.execPath, [join(PROJECT_ROOT, 'bin', 'run-ts.js'), join(PROJECT_ROOT, 'reference-system', 'serve.ts'), '--child'], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, [CHILD_ENV]: payload },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`service ${id} did not report ready within 60 s`));
    }, 60_000);
    const rl = createInterface({ input: child.stdout! });
    rl.on('line', (line) => {
      if (!line.startsWith('{"ready":true')) return;
      clearTimeout(timer);
      resolve((JSON.parse(line) as { services: Record<string, string> }).services[id]!);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`service ${id} exited with code ${code} before it was ready`));
    });
  });
  log.info({ service: id, url, pid: child.pid }, 'service child ready');
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        const kill = setTimeout(() => child.kill('SIGKILL'), 8_000);
        child.once('exit', () => (clearTimeout(kill), resolve()));
        child.kill('SIGTERM');
      }),
  };
}
