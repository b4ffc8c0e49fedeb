/**
 * The `external` provider: infrastructure someone else runs, given by flags or environment
 * (BRINK_POSTGRES_URL, BRINK_PGBOUNCER_URL, BRINK_REDIS_URL, BRINK_AMQP_URL, BRINK_TOXIPROXY_URL).
 * brink starts nothing of it and stops nothing of it. Without a Toxiproxy, the "proxied" URLs are
 * the direct ones and fault injection is unavailable (said in the state's components).
 */
import { invalidInput } from '../core/index.ts';
import { createProxy } from './components/toxiproxy.ts';
import type { ProxyInfo, StackState } from './types.ts';

export interface ExternalStackOptions {
  postgresUrl?: string;
  pgbouncerUrl?: string;
  redisUrl?: string;
  amqpUrl?: string;
  toxiproxyUrl?: string;
}

function required(name: string, flag: string, env: string, value: string | undefined, protocols: string[]): URL {
  const v = value ?? process.env[env];
  if (!v) throw invalidInput(`the external provider needs ${name}: pass ${flag} or set ${env}`);
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    throw invalidInput(`${flag} "${v}" is not a URL; expected ${protocols[0]}//host:port`);
  }
  if (!protocols.includes(url.protocol)) throw invalidInput(`${flag} "${v}" has protocol "${url.protocol}"; expected ${protocols.join(' or ')}`);
  return url;
}

export async function startExternalStack(opts: ExternalStackOptions): Promise<StackState> {
  const postgres = required('a Postgres URL', '--postgres-url', 'BRINK_POSTGRES_URL', opts.postgresUrl, ['postgres:', 'postgresql:']);
  const pgbouncer = opts.pgbouncerUrl ?? process.env.BRINK_PGBOUNCER_URL ? required('a PgBouncer URL', '--pgbouncer-url', 'BRINK_PGBOUNCER_URL', opts.pgbouncerUrl, ['postgres:', 'postgresql:']) : postgres;
  const redis = required('a Redis URL', '--redis-url', 'BRINK_REDIS_URL', opts.redisUrl, ['redis:']);
  const amqp = required('an AMQP URL', '--amqp-url', 'BRINK_AMQP_URL', opts.amqpUrl, ['amqp:']);
  const toxiproxyRaw = opts.toxiproxyUrl ?? process.env.BRINK_TOXIPROXY_URL;
  const toxiproxy = toxiproxyRaw ? required('a Toxiproxy URL', '--toxiproxy-url', 'BRINK_TOXIPROXY_URL', toxiproxyRaw, ['http:']) : undefined;

  const proxies: ProxyInfo[] = [];
  const proxied = async (name: string, url: URL): Promise<string> => {
    if (!toxiproxy) return url.toString();
    const p = await createProxy(toxiproxy.origin, name, '127.0.0.1:0', url.host);
    proxies.push(p);
    const u = new URL(url.toString());
    u.host = p.listen;
    return u.toString();
  };
  const urls = {
    postgres: postgres.toString(),
    postgresProxied: await proxied('postgres', postgres),
    pgbouncer: pgbouncer.toString(),
    pgbouncerProxied: await proxied('pgbouncer', pgbouncer),
    redis: redis.toString(),
    redisProxied: await proxied('redis', redis),
    amqp: amqp.toString(),
    amqpProxied: await proxied('rabbitmq', amqp),
    toxiproxy: toxiproxy?.origin ?? '',
  };
  return {
    schemaVersion: 1,
    provider: 'external',
    dir: '',
    startedAt: new Date().toISOString(),
    database: postgres.pathname.replace(/^\//, '') || 'postgres',
    urls,
    proxies,
    processes: [],
    components: [
      { name: 'postgres', url: urls.postgres, proxiedUrl: urls.postgresProxied, healthy: true },
      { name: 'pgbouncer', url: urls.pgbouncer, proxiedUrl: urls.pgbouncerProxied, healthy: true },
      { name: 'redis', url: urls.redis, proxiedUrl: urls.redisProxied, healthy: true },
      { name: 'rabbitmq', url: urls.amqp, proxiedUrl: urls.amqpProxied, healthy: true },
      { name: 'toxiproxy', url: urls.toxiproxy, healthy: Boolean(toxiproxy), ...(toxiproxy ? {} : { detail: 'no Toxiproxy given: fault injection unavailable' }) },
    ],
  };
}
