import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import pg from 'pg';
import { applyIndexSwitches } from '../../../sql-audit/migrate.ts';
import { seedUsers, startHarness, type Harness } from '../common/test-harness.ts';
import { searchService } from './index.ts';

const stack = inject('stack');
let h: Harness;

beforeAll(async () => {
  h = await startHarness(stack, 'svc_search_it', [searchService], { variant: 'optimized', statementTimeoutMs: 300, maxPageSize: 50 });
  await seedUsers(h.sql, 3);
  await h.sql.query(`UPDATE users SET username = 'margaret_hamilton', display_name = 'Margaret Hamilton' WHERE id = 1`);
  await h.sql.query(`UPDATE users SET username = 'grace_hopper', display_name = 'Grace Hopper' WHERE id = 2`);
  await h.sql.query(
    `INSERT INTO posts (user_id, body, deleted_at) VALUES
     (1, 'Running databases in production is hard', NULL),
     (2, 'The database was running slowly today', NULL),
     (3, 'I like cats', NULL),
     (3, 'A deleted post about databases', now()),
     (3, 'Discount: 100% off_sale', NULL)`,
  );
  // Filler so the planner has a table worth indexing.
  await h.sql.query(`INSERT INTO posts (user_id, body) SELECT 3, 'filler text number ' || g FROM generate_series(1, 3000) g`);
  await applyIndexSwitches(h.sql, { 'fulltext-search': true });
});
afterAll(async () => h?.close());

const bodies = (json: { items: { body: string }[] }) => json.items.map((p) => p.body).sort();

describe('GET /api/search/posts', () => {
  it('full text (fulltext-search on) matches word forms, skips deleted posts and says which form ran', async () => {
    const r = await h.call('search', 'GET', '/api/search/posts?q=database%20running');
    expect(r.status).toBe(200);
    expect(r.json.query).toBe('search_posts_fulltext');
    expect(r.json.degraded).toBe(false);
    // "databases"/"database" and "running" stem alike; both words are required by websearch syntax.
    expect(bodies(r.json)).toEqual(['Running databases in production is hard', 'The database was running slowly today']);
  });

  it('LIKE (fulltext-search off) matches the substring only, case-insensitively', async () => {
    h.switches['fulltext-search'] = false;
    try {
      const r = await h.call('search', 'GET', '/api/search/posts?q=DATABASE');
      expect(r.json.query).toBe('search_posts_like');
      expect(bodies(r.json)).toEqual(['Running databases in production is hard', 'The database was running slowly today']);
      // The two words are not adjacent in either post: a substring search finds nothing.
      expect((await h.call('search', 'GET', '/api/search/posts?q=database%20running')).json.items).toEqual([]);
      // % and _ are the user's characters, not wildcards.
      expect(bodies((await h.call('search', 'GET', '/api/search/posts?q=100%25%20off_')).json)).toEqual(['Discount: 100% off_sale']);
      expect((await h.call('search', 'GET', '/api/search/posts?q=%25')).json.items).toHaveLength(1);
    } finally {
      h.switches['fulltext-search'] = true;
    }
  });

  it('caches results per form and q, and refuses a missing or oversized q naming q', async () => {
    await h.call('search', 'GET', '/api/search/posts?q=cats');
    const again = await h.call('search', 'GET', '/api/search/posts?q=Cats');
    expect(again.headers.get('x-cache')).toBe('hit');
    expect(bodies(again.json)).toEqual(['I like cats']);
    const missing = await h.call('search', 'GET', '/api/search/posts');
    expect(missing.status).toBe(400);
    expect(missing.json.error).toEqual({ code: 'VALIDATION_FAILED', message: 'query.q: is required', field: 'q' });
    expect((await h.call('search', 'GET', `/api/search/posts?q=${'a'.repeat(201)}`)).json.error.field).toBe('q');
    expect((await h.call('search', 'GET', '/api/search/posts?q=filler&limit=500')).json.items).toHaveLength(50);
  });

  it('answers an empty degraded result past the statement timeout, and does not cache it', async () => {
    const locker = new pg.Client({ connectionString: h.db.url });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE posts IN ACCESS EXCLUSIVE MODE');
      const r = await h.call('search', 'GET', '/api/search/posts?q=production');
      expect(r.status).toBe(200);
      expect(r.json).toEqual({ items: [], query: 'search_posts_fulltext', degraded: true, reason: 'search_posts_fulltext exceeded its 300 ms statement timeout' });
      await locker.query('ROLLBACK');
      const after = await h.call('search', 'GET', '/api/search/posts?q=production');
      expect(after.headers.get('x-cache')).toBe('miss');
      expect(bodies(after.json)).toEqual(['Running databases in production is hard']);
    } finally {
      await locker.query('ROLLBACK').catch(() => undefined);
      await locker.end();
    }
  });
});

describe('GET /api/search/users', () => {
  it('finds users by trigram similarity (typos included) with fulltext-search on, by substring with it off', async () => {
    const fuzzy = await h.call('search', 'GET', '/api/search/users?q=margret%20hamilton');
    expect(fuzzy.json.query).toBe('search_users_trigram');
    expect(fuzzy.json.items[0]).toEqual({ id: 1, username: 'margaret_hamilton', displayName: 'Margaret Hamilton' });
    h.switches['fulltext-search'] = false;
    try {
      expect((await h.call('search', 'GET', '/api/search/users?q=margret')).json.items).toEqual([]);
      const exact = await h.call('search', 'GET', '/api/search/users?q=hopp');
      expect(exact.json.query).toBe('search_users_like');
      expect(exact.json.items).toEqual([{ id: 2, username: 'grace_hopper', displayName: 'Grace Hopper' }]);
    } finally {
      h.switches['fulltext-search'] = true;
    }
  });

  it('uses the GIN indexes of migrations 007 and 008 for the optimized forms', async () => {
    await h.sql.query('ANALYZE posts; ANALYZE users');
    await h.sql.query('SET enable_seqscan = off');
    try {
      const { searchQuery } = await import('./queries.ts');
      const postsPlan = await plan(searchQuery('posts', h.switches).sql, ['database', 20]);
      expect(postsPlan).toContain('posts_body_fts_idx');
      const usersPlan = await plan(searchQuery('users', h.switches).sql, ['hopper', 20]);
      expect(usersPlan).toMatch(/users_(username|display_name)_trgm_idx/);
    } finally {
      await h.sql.query('RESET enable_seqscan');
    }
  });
});

async function plan(sql: string, params: unknown[]): Promise<string> {
  const r = await h.sql.query(`EXPLAIN ${sql}`, params);
  return r.rows.map((row) => row['QUERY PLAN']).join('\n');
}
