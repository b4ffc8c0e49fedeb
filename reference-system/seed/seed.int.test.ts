import { verify } from '@node-rs/argon2';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { applyIndexSwitches, indexState } from '../../sql-audit/migrate.ts';
import { createDatabase, type CreatedDatabase } from '../../stack/index.ts';
import { SEEDED_PASSWORD, datasetChecksums, readDatasetInfo, seed, type SeedResult } from './index.ts';

const ANCHOR = new Date('2026-06-01T12:00:00Z');

describe('seed (small, real Postgres)', () => {
  const stack = inject('stack');
  let db: CreatedDatabase;
  let client: pg.Client;
  let result: SeedResult;
  let constraintsBefore: string[];
  let indexesBefore: string[];

  const count = async (sql: string, values: unknown[] = []) => Number((await client.query(sql, values)).rows[0].n);
  const constraintNames = async () =>
    (await client.query(`SELECT conname || ':' || convalidated AS c FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND conrelid::regclass::text <> 'dataset_info' ORDER BY 1`)).rows.map((r) => r.c as string);
  const indexNames = async () => (await client.query(`SELECT indexname FROM pg_indexes WHERE schemaname = 'public' AND tablename <> 'dataset_info' ORDER BY 1`)).rows.map((r) => r.indexname as string);

  beforeAll(async () => {
    db = await createDatabase(stack, 'seed_test');
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
    constraintsBefore = await constraintNames();
    indexesBefore = await indexNames();
    result = await seed(db.url, { scale: 'small', seed: 7, anchor: ANCHOR });
  });

  afterAll(async () => {
    await client?.end();
    await db?.drop();
  });

  it('stores dataset_info whose counts match the tables', async () => {
    const info = await readDatasetInfo(client);
    expect(info).toEqual(result.info);
    expect(info!.scale).toBe('small');
    expect(info!.seed).toBe(7);
    for (const t of ['users', 'follows', 'posts', 'comments', 'conversations', 'messages', 'stories'] as const) {
      expect(await count(`SELECT count(*) AS n FROM ${t}`), t).toBe(info![t]);
    }
    expect(info!.users).toBe(2000);
    expect(info!.posts).toBe(150_000);
    expect(info!.sampleUserIds).toHaveLength(1000);
    expect(info!.anchorAt).toBe(ANCHOR.toISOString());
  });

  it('gives the heavy users exactly 100,000 and 10,000 posts, live plus soft-deleted', async () => {
    expect(result.info.heavyUsers.map((h) => [h.id, h.posts])).toEqual([[1, 100_000], [2, 10_000]]);
    for (const h of result.info.heavyUsers) {
      expect(await count(`SELECT count(*) AS n FROM posts WHERE user_id = $1`, [h.id])).toBe(h.posts);
      expect(await count(`SELECT count(*) AS n FROM posts WHERE user_id = $1 AND deleted_at IS NOT NULL`, [h.id])).toBe(h.deletedPosts);
      expect(h.deletedPosts).toBeGreaterThan(0);
    }
    const deletedShare = (await count(`SELECT count(*) AS n FROM posts WHERE deleted_at IS NOT NULL`)) / 150_000;
    expect(deletedShare).toBeGreaterThan(0.04);
    expect(deletedShare).toBeLessThan(0.06);
  });

  it('gives the heavy conversation exactly 10,000 messages from its members', async () => {
    const [heavy] = result.info.heavyConversations;
    expect(heavy!.messages).toBe(10_000);
    expect(await count(`SELECT count(*) AS n FROM messages WHERE conversation_id = $1`, [heavy!.id])).toBe(10_000);
    const members = (await client.query(`SELECT user_id FROM conversation_members WHERE conversation_id = $1 ORDER BY user_id`, [heavy!.id])).rows.map((r) => Number(r.user_id));
    expect(members).toEqual([...heavy!.memberIds].sort((a, b) => a - b));
    expect(await count(`SELECT count(*) AS n FROM messages m WHERE NOT EXISTS (SELECT 1 FROM conversation_members c WHERE c.conversation_id = m.conversation_id AND c.user_id = m.sender_id)`)).toBe(0);
  });

  it('puts back every key, foreign key (validated) and index it dropped for the load', async () => {
    expect(await constraintNames()).toEqual(constraintsBefore);
    expect(await indexNames()).toEqual(indexesBefore);
  });

  it('resets the id sequences so new rows do not collide', async () => {
    await client.query('BEGIN');
    try {
      const r = await client.query(`INSERT INTO posts (user_id, body) VALUES (3, 'new') RETURNING id`);
      expect(Number(r.rows[0].id)).toBe(150_001);
    } finally {
      await client.query('ROLLBACK');
    }
  });

  it('makes broad search terms common and selective ones rare, LIKE and full-text agreeing', async () => {
    const { broad, selective } = result.info.searchTerms;
    const terms = [...broad, ...selective];
    // One pass over the posts; OFFSET 0 keeps the subquery from being pulled up, which would
    // copy to_tsvector into each of the ten filters and compute it ten times per row.
    const cols = terms
      .map((_, i) => `count(*) FILTER (WHERE v @@ plainto_tsquery('english', $${i + 1})) AS fts${i}, count(*) FILTER (WHERE body ILIKE '%' || $${i + 1} || '%') AS like${i}`)
      .join(', ');
    const r = await client.query(`SELECT count(*) AS live, ${cols} FROM (SELECT body, to_tsvector('english', body) AS v FROM posts WHERE deleted_at IS NULL OFFSET 0) p`, terms);
    const row = r.rows[0] as Record<string, string>;
    const live = Number(row.live);
    terms.forEach((term, i) => {
      const fts = Number(row[`fts${i}`]);
      if (broad.includes(term)) expect(fts, term).toBeGreaterThan(0.2 * live);
      else {
        expect(fts, term).toBeGreaterThan(0);
        expect(fts, term).toBeLessThan(0.01 * live);
        expect(Number(row[`like${i}`]), term).toBe(fts);
      }
    });
  });

  it('lets every seeded user log in with SEEDED_PASSWORD', async () => {
    const r = await client.query(`SELECT DISTINCT password_hash FROM users`);
    expect(r.rows).toHaveLength(1);
    expect(await verify(r.rows[0].password_hash, SEEDED_PASSWORD)).toBe(true);
    expect((await client.query(`SELECT username, email FROM users WHERE id = 42`)).rows[0]).toEqual({ username: 'user42', email: 'user42@example.test' });
  });

  it('leaves some stories expired and some live at the anchor', async () => {
    const expired = await count(`SELECT count(*) AS n FROM stories WHERE expires_at < $1`, [ANCHOR]);
    expect(expired).toBe(result.info.expiredStories);
    expect(expired).toBeGreaterThan(0.3 * 2000);
    expect(expired).toBeLessThan(0.7 * 2000);
  });

  it('re-seeds idempotently: the same seed gives identical checksums, another seed different ones', async () => {
    const first = await datasetChecksums(client);
    await seed(db.url, { scale: 'small', seed: 7, anchor: ANCHOR });
    expect(await datasetChecksums(client)).toEqual(first);
    await seed(db.url, { scale: 'small', seed: 8, anchor: ANCHOR });
    const other = await datasetChecksums(client);
    expect(other.posts.rows).toBe(first.posts.rows);
    expect(other.posts.md5).not.toBe(first.posts.md5);
    expect(other.follows.md5).not.toBe(first.follows.md5);
  });

  it('leaves the previous data, keys and indexes in place when a seeding fails midway', async () => {
    const before = await datasetChecksums(client);
    const infoBefore = await readDatasetInfo(client);
    const constraints = await constraintNames();
    const indexes = await indexNames();
    const failing = seed(db.url, { scale: 'small', seed: 99, anchor: ANCHOR }, (e) => {
      if (e.type === 'table-done' && e.table === 'posts') throw new Error('stop after posts');
    });
    await expect(failing).rejects.toThrow('stop after posts');
    expect(await datasetChecksums(client)).toEqual(before);
    expect(await constraintNames()).toEqual(constraints);
    expect(await indexNames()).toEqual(indexes);
    expect(await readDatasetInfo(client)).toEqual(infoBefore);
  });

  it('keeps the index switches in force across a re-seed', async () => {
    // Two b-tree switches: the GIN ones would only make the test slower, not different.
    await applyIndexSwitches(client, { 'idx-posts-user-created': true, 'idx-stories-expires': true });
    const before = await indexNames();
    expect(before).toContain('posts_user_created_live_idx');
    await seed(db.url, { scale: 'small', seed: 7, anchor: ANCHOR });
    expect(await indexNames()).toEqual(before);
    const state = await indexState(client);
    expect(state['idx-posts-user-created'].applied).toBe(true);
    expect(state['idx-stories-expires'].applied).toBe(true);
    expect(state['fulltext-search'].applied).toBe(false);
  });
});
