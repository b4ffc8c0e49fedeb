/**
 * The `local` provider: every component a child process on free loopback ports, data in one
 * temporary directory under .brink/, started in parallel (RabbitMQ dominates start-up time), with a
 * Toxiproxy proxy in front of each so faults can be injected on any hop.
 */
import { mkdirSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { processesOf } from './proc-scan.ts';
import { dirname, join } from 'node:path';
import { chmodSync, statSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { BrinkError, PROJECT_ROOT, STATE_DIR } from '../core/index.ts';
import { choosePort } from './ports.ts';
import { isAlive, stopProcessGroup } from './processes.ts';
import { startPostgres, preparePlatformDatabase } from './components/postgres.ts';
import { startPgBouncer } from './components/pgbouncer.ts';
import { startRedis } from './components/redis.ts';
import { startRabbitMq } from './components/rabbitmq.ts';
import { startToxiproxy, createProxy } from './components/toxiproxy.ts';
import { BINARIES, runAsFor, type BinaryName } from './system.ts';
import { silent, type StackListener } from './events.ts';
import type { ComponentStatus, ProxyInfo, StackState } from './types.ts';

export const PLATFORM_DATABASE = 'brink';
export const TEMPLATE_DATABASE = 'brink_template';

export interface LocalStackOptions {
  /** Requested ports; any not given is a free one. */
  ports?: Partial<Record<'postgres' | 'pgbouncer' | 'redis' | 'rabbitmq' | 'toxiproxy', number>>;
  signal?: AbortSignal;
  onEvent?: StackListener;
}

const REQUIRED: BinaryName[] = ['postgres', 'initdb', 'pgbouncer', 'redisServer', 'rabbitmqServer', 'toxiproxyServer'];

export function checkBinaries(names: readonly BinaryName[] = REQUIRED): void {
  const missing = names.filter((n) => !existsSync(BINARIES[n]));
  if (missing.length > 0) {
    throw new BrinkError('MISSING_DEPENDENCY', `missing: ${missing.map((n) => BINARIES[n]).join(', ')}`, { suggestion: 'run "brink setup" to install them' });
  }
}

/**
 * Clients go down before servers: first the platform and Toxiproxy (which hold connections to
 * everything), then every server at once, since none of them depends on another's shutdown.
 */
const CLIENT_TIER = ['platform', 'toxiproxy'];

async function stopOne(p: { name: string; pid: number }, onEvent: StackListener): Promise<void> {
  const t0 = Date.now();
  onEvent({ type: 'stopping', component: p.name });
  if (p.name === 'postgres' && isAlive(p.pid)) {
    // SIGINT is Postgres's "fast" shutdown; SIGTERM would wait for every client to leave.
    try {
      process.kill(p.pid, 'SIGINT');
    } catch {
      /* gone */
    }
  }
  await stopProcessGroup(p.pid, p.name === 'rabbitmq' ? 8000 : 5000);
  onEvent({ type: 'stopped', component: p.name, ms: Date.now() - t0 });
}

export async function stopLocalProcesses(state: Pick<StackState, 'processes' | 'dir'>, onEvent: StackListener = silent): Promise<void> {
  const clients = state.processes.filter((p) => CLIENT_TIER.includes(p.name));
  const servers = state.processes.filter((p) => !CLIENT_TIER.includes(p.name));
  await Promise.all(clients.map((p) => stopOne(p, onEvent)));
  await Promise.all(servers.map((p) => stopOne(p, onEvent)));
  // What is left (RabbitMQ's epmd, anything started but not recorded) is found by its directory.
  await Promise.all(processesOf(state.dir).map((stray) => stopProcessGroup(stray.pid, 300)));
}

/**
 * Postgres and RabbitMQ run as their own users, so every folder above their data must be
 * traversable by them. Folders brink made (the state dir, e.g. a 0700 mkdtemp) are opened to
 * traversal (o+x, not listing); a folder above them that is closed (a home directory) is an error
 * naming the way out.
 */
function ensureReachableByServiceUsers(dir: string): void {
  if (!runAsFor('postgres')) return;
  for (let d = dir; d.startsWith(STATE_DIR) && d.length >= STATE_DIR.length; d = dirname(d)) {
    chmodSync(d, statSync(d).mode | 0o011);
  }
  try {
    execFileSync('runuser', ['-u', 'postgres', '--', 'test', '-x', dir], { stdio: 'ignore' });
  } catch {
    rmSync(dir, { recursive: true, force: true });
    throw new BrinkError('STARTUP_FAILED', `the postgres user cannot reach ${dir} (a folder above it is closed to other users)`, {
      suggestion: 'set BRINK_STATE_DIR to a folder under /tmp or /var/tmp',
    });
  }
}

export async function startLocalStack(opts: LocalStackOptions = {}): Promise<StackState> {
  const onEvent = opts.onEvent ?? silent;
  checkBinaries();
  const id = `${new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14)}-${randomBytes(3).toString('hex')}`;
  const dir = join(STATE_DIR, 'stacks', id);
  const p = opts.ports ?? {};
  const ports = {
    postgres: await choosePort('postgres', p.postgres),
    pgbouncer: await choosePort('pgbouncer', p.pgbouncer),
    redis: await choosePort('redis', p.redis),
    rabbitmq: await choosePort('rabbitmq', p.rabbitmq),
    rabbitmqDist: await choosePort('rabbitmq distribution'),
    epmd: await choosePort('epmd'),
    toxiproxy: await choosePort('toxiproxy', p.toxiproxy),
  };
  for (const c of ['postgres', 'pgbouncer', 'redis', 'rabbitmq', 'toxiproxy']) mkdirSync(join(dir, c), { recursive: true });
  ensureReachableByServiceUsers(dir);

  const processes: { name: string; pid: number }[] = [];
  const components: ComponentStatus[] = [];
  const timed = async <T extends { process: { pid: number }; version: string }>(name: string, start: () => Promise<T>): Promise<T> => {
    const t0 = Date.now();
    onEvent({ type: 'starting', component: name });
    const started = await start().catch((e: unknown) => {
      if (e instanceof BrinkError) throw e;
      throw new BrinkError('STARTUP_FAILED', `${name} failed to start: ${(e as Error).message.trim()}`, { cause: e });
    });
    processes.push({ name, pid: started.process.pid });
    onEvent({ type: 'ready', component: name, ms: Date.now() - t0, version: started.version });
    return started;
  };

  try {
    const schemaSql = readFileSync(join(PROJECT_ROOT, 'sql-audit', 'schema', 'baseline.sql'), 'utf8');
    const pgReady = timed('postgres', () => startPostgres(join(dir, 'postgres'), ports.postgres, opts.signal)).then(async (pgs) => {
      await preparePlatformDatabase(pgs.url, TEMPLATE_DATABASE, schemaSql);
      await preparePlatformDatabase(pgs.url, PLATFORM_DATABASE, schemaSql);
      return pgs;
    });
    const bouncerReady = pgReady.then(() => timed('pgbouncer', () => startPgBouncer(join(dir, 'pgbouncer'), ports.pgbouncer, ports.postgres, PLATFORM_DATABASE, opts.signal)));
    const results = await Promise.allSettled([
      pgReady,
      bouncerReady,
      timed('redis', () => startRedis(join(dir, 'redis'), ports.redis, opts.signal)),
      timed('rabbitmq', () => startRabbitMq(join(dir, 'rabbitmq'), { port: ports.rabbitmq, distPort: ports.rabbitmqDist, epmdPort: ports.epmd }, opts.signal)),
      timed('toxiproxy', () => startToxiproxy(join(dir, 'toxiproxy'), ports.toxiproxy, opts.signal)),
    ]);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    const [pgs, bouncer, redis, rabbit, toxi] = results.map((r) => (r as PromiseFulfilledResult<unknown>).value) as [
      Awaited<typeof pgReady>,
      Awaited<typeof bouncerReady>,
      Awaited<ReturnType<typeof startRedis>>,
      Awaited<ReturnType<typeof startRabbitMq>>,
      Awaited<ReturnType<typeof startToxiproxy>>,
    ];

    const proxy = async (name: string, upstreamPort: number): Promise<ProxyInfo> => createProxy(toxi.url, name, '127.0.0.1:0', `127.0.0.1:${upstreamPort}`);
    const proxies = await Promise.all([proxy('postgres', ports.postgres), proxy('pgbouncer', ports.pgbouncer), proxy('redis', ports.redis), proxy('rabbitmq', ports.rabbitmq)]);
    const listen = (name: string) => proxies.find((x) => x.name === name)!.listen;

    const pgDirect = `postgres://postgres@127.0.0.1:${ports.postgres}/${PLATFORM_DATABASE}`;
    const urls = {
      postgres: pgDirect,
      postgresProxied: `postgres://postgres@${listen('postgres')}/${PLATFORM_DATABASE}`,
      pgbouncer: bouncer.url,
      pgbouncerProxied: `postgres://postgres@${listen('pgbouncer')}/${PLATFORM_DATABASE}`,
      redis: redis.url,
      redisProxied: `redis://${listen('redis')}`,
      amqp: rabbit.url,
      amqpProxied: `amqp://guest:guest@${listen('rabbitmq')}`,
      toxiproxy: toxi.url,
    };
    components.push(
      { name: 'postgres', url: urls.postgres, proxiedUrl: urls.postgresProxied, version: pgs.version, pid: pgs.process.pid, healthy: true },
      { name: 'pgbouncer', url: urls.pgbouncer, proxiedUrl: urls.pgbouncerProxied, version: bouncer.version, pid: bouncer.process.pid, healthy: true },
      { name: 'redis', url: urls.redis, proxiedUrl: urls.redisProxied, version: redis.version, pid: redis.process.pid, healthy: true },
      { name: 'rabbitmq', url: urls.amqp, proxiedUrl: urls.amqpProxied, version: rabbit.version, pid: rabbit.process.pid, healthy: true },
      { name: 'toxiproxy', url: urls.toxiproxy, version: toxi.version, pid: toxi.process.pid, healthy: true },
    );
    return {
      schemaVersion: 1,
      provider: 'local',
      dir,
      startedAt: new Date().toISOString(),
      database: PLATFORM_DATABASE,
      urls,
      proxies,
      processes,
      components,
    };
  } catch (e) {
    onEvent({ type: 'note', message: `start failed, stopping what did start: ${(e as Error).message}` });
    // Components whose start promise was still pending have spawned processes we did not record;
    // their pids are found through the directory they were given.
    await stopLocalProcesses({ processes: [...processes, ...processesOf(dir)], dir });
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}
