import { describe, expect, inject, it } from 'vitest';
import pg from 'pg';
import { Redis } from 'ioredis';
import { connect } from 'amqplib';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TOOLS_BIN } from '../core/index.ts';
import { BINARIES } from './system.ts';
import { TOXIPROXY_VERSION } from './setup/requirements.ts';
import { createDatabase } from './index.ts';

const stack = inject('stack');

async function one(url: string, sql = 'SELECT 1 AS one'): Promise<Record<string, unknown>[]> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await c.connect();
  try {
    return (await c.query(sql)).rows;
  } finally {
    await c.end();
  }
}

describe('the local stack', () => {
  it('answers SELECT 1 directly, through PgBouncer and through Toxiproxy', async () => {
    for (const url of [stack.urls.postgres, stack.urls.pgbouncer, stack.urls.postgresProxied, stack.urls.pgbouncerProxied]) {
      expect(await one(url)).toEqual([{ one: 1 }]);
    }
  });

  it('has pg_stat_statements loaded and HypoPG available', async () => {
    const rows = await one(stack.urls.postgres, "SELECT extname FROM pg_extension WHERE extname IN ('pg_stat_statements','hypopg','pg_trgm') ORDER BY 1");
    expect(rows.map((r) => r.extname)).toEqual(['hypopg', 'pg_stat_statements', 'pg_trgm']);
    const c = new pg.Client({ connectionString: stack.urls.postgres });
    await c.connect();
    try {
      const hypo = await c.query("SELECT indexname FROM hypopg_create_index('CREATE INDEX ON posts (user_id, created_at DESC)')");
      expect(String(hypo.rows[0]?.indexname)).toMatch(/btree_posts/);
      const calls = await c.query('SELECT count(*)::int AS n FROM pg_stat_statements');
      expect(calls.rows[0]?.n).toBeGreaterThan(0);
    } finally {
      await c.end();
    }
  });

  it('runs PgBouncer in transaction mode with the NewFeed pool settings', async () => {
    const admin = new pg.Client({ connectionString: stack.urls.pgbouncer.replace(/\/[^/]*$/, '/pgbouncer') });
    await admin.connect();
    try {
      const rows = (await admin.query({ text: 'SHOW CONFIG', rowMode: 'array' })).rows as string[][];
      const conf = Object.fromEntries(rows.map((r) => [r[0], r[1]]));
      expect(conf).toMatchObject({ pool_mode: 'transaction', max_client_conn: '1000', default_pool_size: '25', max_db_connections: '100' });
    } finally {
      await admin.end();
    }
  });

  it('answers Redis PING directly and through Toxiproxy', async () => {
    for (const url of [stack.urls.redis, stack.urls.redisProxied]) {
      const r = new Redis(url, { maxRetriesPerRequest: 1 });
      try {
        expect(await r.ping()).toBe('PONG');
      } finally {
        r.disconnect();
      }
    }
  });

  it('publishes and consumes an AMQP message through Toxiproxy', async () => {
    const conn = await connect(stack.urls.amqpProxied);
    try {
      const ch = await conn.createConfirmChannel();
      const q = await ch.assertQueue('', { exclusive: true });
      await new Promise<void>((res, rej) => ch.sendToQueue(q.queue, Buffer.from('hello'), {}, (err) => (err ? rej(err) : res())));
      const msg = await new Promise<string>((res) => void ch.consume(q.queue, (m) => m && res(m.content.toString()), { noAck: true }));
      expect(msg).toBe('hello');
    } finally {
      await conn.close();
    }
  });

  it('has a Toxiproxy proxy in front of every component', async () => {
    const res = await fetch(`${stack.urls.toxiproxy}/version`);
    expect(res.status).toBe(200);
    const proxies = (await (await fetch(`${stack.urls.toxiproxy}/proxies`)).json()) as Record<string, { upstream: string; enabled: boolean }>;
    expect(Object.keys(proxies).sort()).toEqual(expect.arrayContaining(['pgbouncer', 'postgres', 'rabbitmq', 'redis']));
    for (const name of ['pgbouncer', 'postgres', 'rabbitmq', 'redis']) expect(proxies[name]?.enabled).toBe(true);
  });

  it('has the pinned toxiproxy-server build and no k6 of its own', () => {
    expect(readFileSync(`${BINARIES.toxiproxyServer}.version`, 'utf8').trim()).toBe(TOXIPROXY_VERSION);
    // brink never builds k6 (AGPL, not-to-use): nothing named k6 may appear in .tools.
    expect(existsSync(join(TOOLS_BIN, 'k6'))).toBe(false);
  });

  it('creates fresh databases with the baseline schema, reachable through PgBouncer', async () => {
    const db = await createDatabase(stack, 'stack_test_fresh');
    try {
      const rows = await one(db.pgbouncerUrl, "SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public' AND table_name IN ('users','posts','comments','messages')");
      expect(rows).toEqual([{ n: 4 }]);
    } finally {
      await db.drop();
    }
  });

  it('refuses a database name that is not an identifier', async () => {
    await expect(createDatabase(stack, 'x; drop')).rejects.toThrow('database name "x; drop" is not valid; expected lower-case letters, digits and _ (max 63)');
  });
});
