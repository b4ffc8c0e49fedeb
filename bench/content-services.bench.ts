/**
 * node bin/run-ts.js bench/content-services.bench.ts: what each switch of the users, posts and
 * search services changes, measured side by side on one seeded database (SCALE, default small:
 * users 1 and 2 have 100,000 and 10,000 posts). Each service runs as its own server in this
 * process (common/test-harness.ts) and is called directly (no gateway), so the figures are the
 * service + PgBouncer + Postgres cost of one switch, not the platform's throughput (that is
 * bench/platform.bench.ts). Every case: 10 warm-up requests, then REQUESTS sequential requests
 * (latency), then CONCURRENCY concurrent callers for WINDOW_S seconds (req/s). Cache off
 * throughout, so every request reaches Postgres. Loopback only; every loop bounded.
 * Knobs (env): SCALE (small), REQUESTS (100), CONCURRENCY (8), WINDOW_S (3), STACK_STATE (a stack.json).
 */
import { readStackStateFile, startStack, stopStack, type StackState } from '../stack/index.ts';
import { encodePageCursor, parseScale, seed, startServiceHarness, type Harness } from '../reference-system/index.ts';
import { applyIndexSwitches } from '../sql-audit/index.ts';
import type { SwitchId } from '../core/index.ts';

const SCALE = parseScale(process.env.SCALE ?? 'small');
const REQUESTS = Math.min(Number(process.env.REQUESTS ?? 100), 10_000);
const CONCURRENCY = Math.min(Number(process.env.CONCURRENCY ?? 8), 64);
const WINDOW_S = Math.min(Number(process.env.WINDOW_S ?? 3), 60);

interface Case {
  name: string;
  /** Flipped together: off for the first measurement, on for the second. */
  switchIds: SwitchId[];
  service: string;
  path: () => string;
  as?: number;
}

interface Figures {
  p50Ms: number;
  p99Ms: number;
  reqPerS: number;
  queriesPerRequest: number;
}

async function main(): Promise<void> {
  const fromEnv = process.env.STACK_STATE ? readStackStateFile(process.env.STACK_STATE) : readStackStateFile();
  const stack: StackState = fromEnv ?? (await startStack({ provider: 'local' }));
  const h = await startServiceHarness(stack, 'bench_content', ['users', 'posts', 'search'], { variant: 'optimized' });
  try {
    const t0 = performance.now();
    const seeded = await seed(h.db.url, { scale: SCALE, seed: 1 });
    const info = seeded.info;
    process.stdout.write(`seeded ${SCALE} in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${info.posts.toLocaleString()} posts, heavy users ${info.heavyUsers.map((u) => `${u.id} (${u.posts.toLocaleString()})`).join(', ')}\n`);
    await applyIndexSwitches(h.sql, h.switches);
    h.switches.cache = false;
    const heavy = info.heavyUsers[0]!.id;
    const reader = Number((await h.sql.query('SELECT follower_id FROM follows GROUP BY follower_id ORDER BY count(*) DESC LIMIT 1')).rows[0].follower_id);
    const broad = info.searchTerms.broad[0]!;
    const selective = info.searchTerms.selective[0]!;
    const userFragment = String((await h.sql.query('SELECT substr(username, 1, 5) AS f FROM users ORDER BY id DESC LIMIT 1')).rows[0].f);
    // The keyset cursor of the heavy user's row DEEP_ROW (page DEEP_ROW/20 + 1), for the deep-page case.
    const DEEP_ROW = 20_000;
    const deepRow = Number((await h.sql.query('SELECT id FROM posts WHERE user_id = $1 AND deleted_at IS NULL ORDER BY created_at DESC, id DESC OFFSET $2 LIMIT 1', [heavy, DEEP_ROW - 1])).rows[0].id);
    const ALL_INDEXES: SwitchId[] = ['idx-posts-user-created', 'idx-follows-follower', 'idx-newfeed'];

    const cases: Case[] = [
      // NV-1 as the assessment found it: no index but posts(user_id), then every index fix.
      { name: `get_user_posts, user ${heavy} (${info.heavyUsers[0]!.posts.toLocaleString()} posts), first page, baseline vs optimized indexes`, switchIds: ALL_INDEXES, service: 'users', path: () => `/api/users/${heavy}/posts` },
      // The composite index alone, with posts(created_at DESC) already there.
      { name: `get_user_posts, user ${heavy}, first page, the composite index alone`, switchIds: ['idx-posts-user-created'], service: 'users', path: () => `/api/users/${heavy}/posts` },
      {
        name: `user ${heavy}'s posts from row ${DEEP_ROW.toLocaleString()} (keyset vs OFFSET)`,
        switchIds: ['keyset-paging'],
        service: 'users',
        path: () => `/api/users/${heavy}/posts?cursor=${h.switches['keyset-paging'] ? encodePageCursor({ kind: 'keyset', afterId: deepRow }) : encodePageCursor({ kind: 'offset', offset: DEEP_ROW })}`,
      },
      { name: `home feed of user ${reader} (the most follows), authors hydrated`, switchIds: ['batched-hydration'], service: 'posts', path: () => '/api/feed', as: reader },
      { name: `home feed of user ${reader}, baseline vs optimized indexes`, switchIds: ALL_INDEXES, service: 'posts', path: () => '/api/feed', as: reader },
      { name: `search posts, selective word "${selective}"`, switchIds: ['fulltext-search'], service: 'search', path: () => `/api/search/posts?q=${encodeURIComponent(selective)}` },
      { name: `search posts, broad word "${broad}"`, switchIds: ['fulltext-search'], service: 'search', path: () => `/api/search/posts?q=${encodeURIComponent(broad)}` },
      { name: `search users "${userFragment}"`, switchIds: ['fulltext-search'], service: 'search', path: () => `/api/search/users?q=${encodeURIComponent(userFragment)}` },
    ];

    const rows: string[] = [];
    for (const c of cases) {
      const off = await measureWith(h, c, false);
      const on = await measureWith(h, c, true);
      const label = c.switchIds.join(',');
      const line = `${c.name}\n  ${label}=off: ${fmt(off)}\n  ${label}=on:  ${fmt(on)}\n  on/off: p50 ${(off.p50Ms / on.p50Ms).toFixed(1)}x faster, req/s ${(on.reqPerS / off.reqPerS).toFixed(1)}x\n`;
      process.stdout.write(line);
      rows.push(line);
    }
  } finally {
    await h.close();
    if (!fromEnv) await stopStack(stack);
  }
}

async function setSwitches(h: Harness, ids: SwitchId[], on: boolean): Promise<void> {
  for (const id of ids) h.switches[id] = on;
  await applyIndexSwitches(h.sql, Object.fromEntries(ids.map((id) => [id, on])));
}

async function measureWith(h: Harness, c: Case, on: boolean): Promise<Figures> {
  await setSwitches(h, c.switchIds, on);
  try {
    for (let i = 0; i < 10; i++) await expectOk(h, c);
    h.queries.length = 0;
    const latencies: number[] = [];
    for (let i = 0; i < REQUESTS; i++) {
      const t = performance.now();
      await expectOk(h, c);
      latencies.push(performance.now() - t);
    }
    const queriesPerRequest = h.queries.length / REQUESTS;
    latencies.sort((a, b) => a - b);
    const deadline = performance.now() + WINDOW_S * 1000;
    let done = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        for (let i = 0; i < 100_000 && performance.now() < deadline; i++) {
          await expectOk(h, c);
          done++;
        }
      }),
    );
    return { p50Ms: pct(latencies, 0.5), p99Ms: pct(latencies, 0.99), reqPerS: done / ((performance.now() - t0) / 1000), queriesPerRequest };
  } finally {
    // Back to optimized for the next case.
    await setSwitches(h, c.switchIds, true);
  }
}

async function expectOk(h: Harness, c: Case): Promise<void> {
  const r = await h.call(c.service, 'GET', c.path(), c.as === undefined ? {} : { as: c.as });
  if (r.status !== 200) throw new Error(`${c.name}: ${c.path()} answered ${r.status} ${JSON.stringify(r.json)}`);
}

const pct = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
const fmt = (f: Figures): string =>
  `p50 ${f.p50Ms.toFixed(1)} ms, p99 ${f.p99Ms.toFixed(1)} ms (sequential), ${Math.round(f.reqPerS)} req/s at ${CONCURRENCY} concurrent, ${f.queriesPerRequest.toFixed(1)} queries/request`;

await main();
