/**
 * The `docker` provider: the same stack as containers via testcontainers, for machines with a
 * Docker engine. The containers outlive `brink stack up` (the reaper is disabled for them) and are
 * removed by `brink stack down` through their ids in the state file.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { BrinkError, PROJECT_ROOT } from '../core/index.ts';
import { IMAGES } from '../docker/index.ts';
import { silent, type StackListener } from './events.ts';
import { createProxy } from './components/toxiproxy.ts';
import { PGBOUNCER_SETTINGS } from './components/pgbouncer.ts';
import { TUNED_SETTINGS } from './components/postgres.ts';
import type { StackState } from './types.ts';

const run = promisify(execFile);
const DATABASE = 'brink';
/** Ports toxiproxy listens on inside its container, one per proxied component. */
const PROXY_PORTS = { postgres: 20000, pgbouncer: 20001, redis: 20002, rabbitmq: 20003 } as const;

export async function dockerAvailable(): Promise<boolean> {
  try {
    await run('docker', ['info', '--format', '{{.ServerVersion}}'], { timeout: 5000 });
    return true;
  } catch {
    return false;
  }
}

export async function startDockerStack(opts: { onEvent?: StackListener } = {}): Promise<StackState> {
  const onEvent = opts.onEvent ?? silent;
  if (!(await dockerAvailable())) {
    throw new BrinkError('MISSING_DEPENDENCY', 'the docker provider needs a Docker engine, and none answers ("docker info" failed)', {
      suggestion: 'start Docker, or use --provider local (the default)',
    });
  }
  process.env.TESTCONTAINERS_RYUK_DISABLED = 'true';
  const { GenericContainer, Network, Wait } = await import('testcontainers');
  const network = await new Network().start();
  const started: { id: string }[] = [];
  try {
    onEvent({ type: 'starting', component: 'postgres' });
    const pgArgs = Object.entries(TUNED_SETTINGS).flatMap(([k, v]) => ['-c', `${k}=${v.replace(/^'|'$/g, '')}`]).filter((a) => !a.startsWith('wal_level') && !a.startsWith('max_wal_senders'));
    const postgres = await (await GenericContainer.fromDockerfile(join(PROJECT_ROOT, 'docker', 'postgres')).build('brink-postgres:15', { deleteOnExit: false }))
      .withNetwork(network).withNetworkAliases('postgres')
      .withEnvironment({ POSTGRES_HOST_AUTH_METHOD: 'trust', POSTGRES_DB: DATABASE })
      .withCommand(['postgres', ...pgArgs])
      .withExposedPorts(5432)
      .withWaitStrategy(Wait.forLogMessage(/database system is ready to accept connections/, 2))
      .start();
    started.push({ id: postgres.getId() });
    const schema = readFileSync(join(PROJECT_ROOT, 'sql-audit', 'schema', 'baseline.sql'), 'utf8');
    const pgUrl = `postgres://postgres@${postgres.getHost()}:${postgres.getMappedPort(5432)}/${DATABASE}`;
    const pg = (await import('pg')).default;
    const c = new pg.Client({ connectionString: pgUrl });
    await c.connect();
    await c.query('CREATE EXTENSION IF NOT EXISTS hypopg');
    await c.query(schema);
    await c.query('CREATE DATABASE brink_template TEMPLATE brink');
    await c.end();

    const [pgbouncer, redis, rabbitmq, toxiproxy] = await Promise.all([
      new GenericContainer(IMAGES.pgbouncer).withNetwork(network).withNetworkAliases('pgbouncer')
        .withEnvironment({ DB_HOST: 'postgres', DB_USER: 'postgres', AUTH_TYPE: 'trust', POOL_MODE: PGBOUNCER_SETTINGS.pool_mode, MAX_CLIENT_CONN: String(PGBOUNCER_SETTINGS.max_client_conn), DEFAULT_POOL_SIZE: String(PGBOUNCER_SETTINGS.default_pool_size), MAX_DB_CONNECTIONS: String(PGBOUNCER_SETTINGS.max_db_connections), IGNORE_STARTUP_PARAMETERS: 'extra_float_digits,options,statement_timeout' })
        .withExposedPorts(5432).withWaitStrategy(Wait.forListeningPorts()).start(),
      new GenericContainer(IMAGES.redis).withNetwork(network).withNetworkAliases('redis').withCommand(['redis-server', '--save', '', '--appendonly', 'no']).withExposedPorts(6379).withWaitStrategy(Wait.forLogMessage(/Ready to accept connections/)).start(),
      new GenericContainer(IMAGES.rabbitmq).withNetwork(network).withNetworkAliases('rabbitmq').withExposedPorts(5672).withWaitStrategy(Wait.forLogMessage(/Server startup complete/)).withStartupTimeout(120_000).start(),
      new GenericContainer(IMAGES.toxiproxy).withNetwork(network).withNetworkAliases('toxiproxy').withExposedPorts(8474, ...Object.values(PROXY_PORTS)).withWaitStrategy(Wait.forHttp('/version', 8474)).start(),
    ]);
    started.push({ id: pgbouncer.getId() }, { id: redis.getId() }, { id: rabbitmq.getId() }, { id: toxiproxy.getId() });
    const host = toxiproxy.getHost();
    const toxiUrl = `http://${host}:${toxiproxy.getMappedPort(8474)}`;
    const upstreams = { postgres: 'postgres:5432', pgbouncer: 'pgbouncer:5432', redis: 'redis:6379', rabbitmq: 'rabbitmq:5672' } as const;
    const proxies = await Promise.all(
      (Object.keys(PROXY_PORTS) as (keyof typeof PROXY_PORTS)[]).map((name) => createProxy(toxiUrl, name, `0.0.0.0:${PROXY_PORTS[name]}`, upstreams[name])),
    );
    const viaProxy = (name: keyof typeof PROXY_PORTS) => `${host}:${toxiproxy.getMappedPort(PROXY_PORTS[name])}`;
    const urls = {
      postgres: pgUrl,
      postgresProxied: `postgres://postgres@${viaProxy('postgres')}/${DATABASE}`,
      pgbouncer: `postgres://postgres@${pgbouncer.getHost()}:${pgbouncer.getMappedPort(5432)}/${DATABASE}`,
      pgbouncerProxied: `postgres://postgres@${viaProxy('pgbouncer')}/${DATABASE}`,
      redis: `redis://${redis.getHost()}:${redis.getMappedPort(6379)}`,
      redisProxied: `redis://${viaProxy('redis')}`,
      amqp: `amqp://guest:guest@${rabbitmq.getHost()}:${rabbitmq.getMappedPort(5672)}`,
      amqpProxied: `amqp://guest:guest@${viaProxy('rabbitmq')}`,
      toxiproxy: toxiUrl,
    };
    onEvent({ type: 'ready', component: 'docker stack', ms: 0 });
    return {
      schemaVersion: 1,
      provider: 'docker',
      dir: '',
      startedAt: new Date().toISOString(),
      database: DATABASE,
      urls,
      proxies,
      processes: [],
      components: [
        ...started.map((s, i) => ({ name: ['postgres', 'pgbouncer', 'redis', 'rabbitmq', 'toxiproxy'][i] ?? 'container', url: s.id, healthy: true })),
        { name: 'network', url: network.getId(), healthy: true },
      ],
    };
  } catch (e) {
    await run('docker', ['rm', '-f', ...started.map((s) => s.id)]).catch(() => undefined);
    await network.stop().catch(() => undefined);
    throw e;
  }
}

export async function stopDockerStack(state: StackState, onEvent: StackListener = silent): Promise<void> {
  const containers = state.components.filter((c) => c.name !== 'network').map((c) => c.url);
  const network = state.components.find((c) => c.name === 'network')?.url;
  onEvent({ type: 'stopping', component: 'containers' });
  if (containers.length) await run('docker', ['rm', '-f', ...containers]).catch(() => undefined);
  if (network) await run('docker', ['network', 'rm', network]).catch(() => undefined);
}
