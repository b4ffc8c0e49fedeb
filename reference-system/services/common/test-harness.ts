/**
 * For this folder's integration tests: runs services against the real stack (a fresh database
 * through PgBouncer, Redis under a private key prefix, RabbitMQ), each as its own service server
 * built by the framework, with live switches the test can flip and a log of every named query
 * the services ran (the N+1 evidence). Not a mock: every query reaches Postgres.
 */
import pg from 'pg';
import { createDatabase, type CreatedDatabase, type StackState } from '../../../stack/index.ts';
import type { Db, ServiceDescriptor } from '../../shared/context.ts';
import type { ClosableDbProvider } from '../../shared/db.ts';
import { deleteByPrefix } from '../../shared/cache.ts';
import { createLogger } from '../../shared/logger.ts';
import { createServiceContext, type OwnedServiceContext } from '../../shared/service-context.ts';
import { startServiceServer, type StartedServiceServer } from '../../shared/service-server.ts';
import { switchesFor, type Switches, type Variant } from '../../../core/index.ts';
import { USER_ID_HEADER } from '../../shared/context.ts';

export interface Harness {
  db: CreatedDatabase;
  /** Superuser client straight to Postgres, for fixtures, EXPLAIN and pg_stat_statements. */
  sql: pg.Client;
  /** Live: assign a field and the next request sees it. */
  switches: Switches;
  /** Catalog names of the queries run, in order; clear with `queries.length = 0`. */
  queries: string[];
  contexts: Record<string, OwnedServiceContext>;
  servers: Record<string, StartedServiceServer>;
  /** fetch against a service; `as` sets the caller header like the gateway does. */
  call(service: string, method: string, path: string, opts?: { as?: number; body?: unknown }): Promise<{ status: number; headers: Headers; json: any }>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  variant: Variant;
  statementTimeoutMs?: number;
  maxPageSize?: number;
}

export async function startHarness(stack: StackState, name: string, services: ServiceDescriptor[], opts: HarnessOptions): Promise<Harness> {
  const db = await createDatabase(stack, name);
  const sql = new pg.Client({ connectionString: db.url });
  await sql.connect();
  const switches = { ...switchesFor(opts.variant) };
  const queries: string[] = [];
  const contexts: Record<string, OwnedServiceContext> = {};
  const servers: Record<string, StartedServiceServer> = {};
  const log = createLogger({ name: `test-${name}`, level: 'error' });
  for (const d of services) {
    const ctx = createServiceContext({
      service: d.id,
      variant: opts.variant,
      switches,
      databaseUrl: db.pgbouncerUrl,
      redisUrl: stack.urls.redis,
      amqpUrl: stack.urls.amqp,
      jwtSecret: 'integration-test-secret',
      redisKeyPrefix: `test:${name}:`,
      config: { statementTimeoutMs: opts.statementTimeoutMs ?? 5_000, maxPageSize: opts.maxPageSize ?? 100 },
      log,
    });
    ctx.db = countingProvider(ctx.db, queries);
    contexts[d.id] = ctx;
    servers[d.id] = await startServiceServer(d, ctx);
  }
  return {
    db,
    sql,
    switches,
    queries,
    contexts,
    servers,
    async call(service, method, path, o = {}) {
      const headers: Record<string, string> = {};
      if (o.as !== undefined) headers[USER_ID_HEADER] = String(o.as);
      if (o.body !== undefined) headers['content-type'] = 'application/json';
      const res = await fetch(`${servers[service]!.url}${path}`, { method, headers, body: o.body === undefined ? undefined : JSON.stringify(o.body) });
      const text = await res.text();
      return { status: res.status, headers: res.headers, json: text ? JSON.parse(text) : undefined };
    },
    async close() {
      for (const s of Object.values(servers)) await s.close();
      for (const c of Object.values(contexts)) {
        // Only this harness's keys (the client's key prefix), never the whole Redis.
        await deleteByPrefix(c.redis, '').catch(() => undefined);
        await c.close();
      }
      await sql.end();
      await db.drop();
    },
  };
}

/** Wraps a DbProvider so every named query (transactions included) is logged before it runs. */
function countingProvider(inner: ClosableDbProvider, log: string[]): ClosableDbProvider {
  const wrap = (q: Db['query']): Db['query'] =>
    ((name: string, text: string, params?: readonly unknown[], options?: { statementTimeoutMs?: number }) => {
      log.push(name);
      return q(name, text, params, options);
    }) as Db['query'];
  return {
    forModule(moduleName) {
      const db = inner.forModule(moduleName);
      return { query: wrap(db.query), transaction: (fn) => db.transaction((tx) => fn({ query: wrap(tx.query) })) };
    },
    stats: () => inner.stats(),
    close: () => inner.close(),
    get unpooledConnects() {
      return inner.unpooledConnects;
    },
  };
}

/** `n` users u1..un (ids 1..n in a fresh database). */
export async function seedUsers(sql: pg.Client, n: number): Promise<void> {
  await sql.query(
    `INSERT INTO users (username, email, password_hash, display_name)
     SELECT 'user' || g, 'user' || g || '@example.test', 'not-a-hash', 'User ' || g FROM generate_series(1, $1::int) g`,
    [n],
  );
}

/** `n` posts by `userId`, one a minute going back from now, bodies "post <i> of user <id>". */
export async function seedPosts(sql: pg.Client, userId: number, n: number): Promise<void> {
  await sql.query(
    `INSERT INTO posts (user_id, body, created_at)
     SELECT $1::bigint, 'post ' || g || ' of user ' || $1::bigint, now() - make_interval(mins => g) FROM generate_series(1, $2::int) g`,
    [userId, n],
  );
}
