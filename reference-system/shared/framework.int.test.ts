import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import amqp from 'amqplib';
import { createDatabase, type CreatedDatabase } from '../../stack/index.ts';
import { switchesFor } from '../../core/index.ts';
import { createLogger } from './logger.ts';
import { EVENTS_EXCHANGE, type EventMessage } from './publisher.ts';
import { createServiceContext, type OwnedServiceContext } from './service-context.ts';
import { createSwitchStore } from './switch-store.ts';

const stack = inject('stack');
const log = createLogger({ name: 'framework-test', level: 'silent' });

describe('the service framework on the real stack', () => {
  let db: CreatedDatabase;
  let ctx: OwnedServiceContext;
  const store = createSwitchStore('optimized', switchesFor('optimized'));
  beforeAll(async () => {
    db = await createDatabase(stack, 'fw_main');
    ctx = createServiceContext({
      service: 'fwtest',
      variant: 'optimized',
      switches: store.current,
      databaseUrl: db.pgbouncerUrl,
      redisUrl: stack.urls.redis,
      amqpUrl: stack.urls.amqp,
      jwtSecret: 'x'.repeat(32),
      redisKeyPrefix: `fwtest:${Date.now()}:`,
      log,
      poolMax: 4,
    });
  });
  afterAll(async () => {
    await ctx?.close();
    await db?.drop();
  });

  it('opens a connection per query with pooling off, one pool per service with it on, one per module with shared-pool off', async () => {
    const a = ctx.db.forModule('profile');
    const b = ctx.db.forModule('follow');
    store.set({ pooling: false });
    const before = ctx.db.unpooledConnects;
    for (let i = 0; i < 3; i++) expect(await a.query('select_one', 'SELECT 1 AS one')).toEqual([{ one: 1 }]);
    expect(ctx.db.unpooledConnects - before).toBe(3);
    expect(ctx.db.stats()).toEqual([]);

    store.set({ pooling: true, 'shared-pool': true });
    await a.query('select_one', 'SELECT 1');
    await b.query('select_one', 'SELECT 1');
    expect(ctx.db.stats().map((s) => s.module)).toEqual(['fwtest']);

    store.set({ 'shared-pool': false });
    await a.query('select_one', 'SELECT 1');
    await b.query('select_one', 'SELECT 1');
    expect(ctx.db.stats().map((s) => s.module).sort()).toEqual(['fwtest', 'fwtest/follow', 'fwtest/profile']);
    expect(ctx.db.stats().every((s) => s.max === 4)).toBe(true);
    store.set({ 'shared-pool': true });
  });

  it('cancels a query over its statement timeout through PgBouncer, and the timeout does not leak to the next query', async () => {
    const q = ctx.db.forModule('trending');
    await expect(q.query('slow', 'SELECT pg_sleep(2)', [], { statementTimeoutMs: 100 })).rejects.toMatchObject({ code: '57014' });
    // SET LOCAL ended with its transaction: the same pool runs a 300 ms query fine.
    expect(await q.query('not_slow', 'SELECT pg_sleep(0.3)::text AS slept')).toEqual([{ slept: '' }]);
    const [row] = await q.query<{ statement_timeout: string }>('show', 'SHOW statement_timeout');
    expect(row!.statement_timeout).toBe('0');
  });

  it('times every query into a histogram named after its catalog entry', async () => {
    const text = await ctx.metrics.metrics();
    expect(text).toMatch(/brink_db_query_duration_seconds_count\{service="fwtest",query="slow",outcome="timeout"\} 1/);
    expect(text).toMatch(/brink_db_query_duration_seconds_count\{service="fwtest",query="select_one",outcome="ok"\} \d+/);
  });

  it('caches in L1 and Redis, misses with the cache switch off, and invalidates by key and prefix', async () => {
    let loads = 0;
    const load = async () => ({ n: ++loads });
    expect(await ctx.cache.getOrLoad('user:1', 60, load)).toEqual({ value: { n: 1 }, hit: false });
    expect(await ctx.cache.getOrLoad('user:1', 60, load)).toEqual({ value: { n: 1 }, hit: true });
    expect(await ctx.redis.get('user:1')).toBe('{"n":1}');
    store.set({ cache: false });
    expect(await ctx.cache.getOrLoad('user:1', 60, load)).toEqual({ value: { n: 2 }, hit: false });
    store.set({ cache: true });
    await ctx.cache.invalidate('user:1');
    expect(await ctx.redis.get('user:1')).toBeNull();
    expect((await ctx.cache.getOrLoad('user:1', 60, load)).hit).toBe(false);
    await ctx.cache.getOrLoad('feed:7:a', 60, load);
    await ctx.cache.getOrLoad('feed:7:b', 60, load);
    await ctx.cache.invalidatePrefix('feed:7:');
    expect(await ctx.redis.exists('feed:7:a', 'feed:7:b')).toBe(0);
  });

  it('falls back to loading when Redis is unreachable, and counts it', async () => {
    const dead = createServiceContext({
      service: 'fwdead',
      variant: 'optimized',
      switches: store.current,
      databaseUrl: db.pgbouncerUrl,
      redisUrl: 'redis://127.0.0.1:1',
      amqpUrl: stack.urls.amqp,
      jwtSecret: 'x'.repeat(32),
      log,
    });
    try {
      let loads = 0;
      const r = await dead.cache.getOrLoad('user:9', 60, async () => ++loads);
      expect(r).toEqual({ value: 1, hit: false });
      expect(await dead.metrics.metrics()).toContain('brink_cache_lookups_total{service="fwdead",family="user",result="redis_error"} 1');
    } finally {
      await dead.close();
    }
  });

  it('publishes confirmed, persistent events to brink.events with the type as routing key', async () => {
    const conn = await amqp.connect(stack.urls.amqp);
    try {
      const ch = await conn.createChannel();
      await ch.assertExchange(EVENTS_EXCHANGE, 'topic', { durable: true });
      const { queue } = await ch.assertQueue('', { exclusive: true });
      await ch.bindQueue(queue, EVENTS_EXCHANGE, 'fwtest.#');
      const sent = await ctx.publisher.publish({ type: 'fwtest.created', recipients: [3], payload: { postId: 5 } });
      let got: amqp.GetMessage | false = false;
      for (let i = 0; i < 50 && !got; i++) {
        got = await ch.get(queue, { noAck: true });
        if (!got) await new Promise((r) => setTimeout(r, 50));
      }
      expect(got).not.toBe(false);
      const msg = got as amqp.GetMessage;
      expect(msg.fields.routingKey).toBe('fwtest.created');
      expect(msg.properties.deliveryMode).toBe(2);
      expect(msg.properties.messageId).toBe(sent.id);
      expect(JSON.parse(msg.content.toString()) as EventMessage).toMatchObject({ type: 'fwtest.created', recipients: [3], payload: { postId: 5 }, source: 'fwtest' });
    } finally {
      await conn.close();
    }
  });

  it('rejects a publish it cannot get confirmed instead of pretending it was sent', async () => {
    const dead = createServiceContext({
      service: 'fwdead2',
      variant: 'optimized',
      switches: store.current,
      databaseUrl: db.pgbouncerUrl,
      redisUrl: stack.urls.redis,
      amqpUrl: 'amqp://guest:guest@127.0.0.1:1',
      jwtSecret: 'x'.repeat(32),
      log,
    });
    try {
      await expect(dead.publish({ type: 'x.y', recipients: [], payload: {} })).rejects.toThrow(/ECONNREFUSED/);
    } finally {
      await dead.close();
    }
  });
});
