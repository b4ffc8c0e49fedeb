import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDatabase, type CreatedDatabase } from '../stack/index.ts';
import { switchesFor } from '../core/index.ts';
import { applyBaselineSchema, applyIndexSwitches, indexState, indexSwitches } from './migrate.ts';

describe('index switches on real Postgres', () => {
  const stack = inject('stack');
  let db: CreatedDatabase;
  let client: pg.Client;
  const indexNames = async () => new Set((await client.query(`SELECT indexname FROM pg_indexes WHERE schemaname = 'public'`)).rows.map((r) => r.indexname as string));
  const allSwitchIndexes = indexSwitches().flatMap((s) => s.migrations.flatMap((m) => m.indexes.map((i) => i.name)));

  beforeAll(async () => {
    db = await createDatabase(stack, 'migrate_test');
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
  });

  afterAll(async () => {
    await client?.end();
    await db?.drop();
  });

  it('re-applies the baseline schema without error or change', async () => {
    const before = await indexNames();
    await applyBaselineSchema(client);
    expect(await indexNames()).toEqual(before);
  });

  it('reports no index switch applied on the baseline schema', async () => {
    const state = await indexState(client);
    for (const s of Object.values(state)) {
      expect(s.applied, s.id).toBe(false);
      expect(s.present).toEqual([]);
    }
  });

  it('creates every switch index when optimized and drops them when baseline, analyzing the tables', async () => {
    const up = await applyIndexSwitches(client, switchesFor('optimized'));
    expect(up.changes.map((c) => [c.id, c.direction])).toEqual(indexSwitches().map((s) => [s.id, 'up']));
    expect(up.analyzed).toEqual(['comments', 'follows', 'messages', 'posts', 'stories', 'users']);
    const present = await indexNames();
    for (const name of allSwitchIndexes) expect(present.has(name), name).toBe(true);
    expect(Object.values(await indexState(client)).every((s) => s.applied)).toBe(true);

    const down = await applyIndexSwitches(client, switchesFor('baseline'));
    expect(down.changes.map((c) => c.direction)).toEqual(indexSwitches().map(() => 'down'));
    const after = await indexNames();
    for (const name of allSwitchIndexes) expect(after.has(name), name).toBe(false);
    expect(after.has('posts_user_id_idx')).toBe(true);
  });

  it('changes nothing when the indexes already match the switches', async () => {
    await applyIndexSwitches(client, { 'idx-posts-user-created': true });
    const again = await applyIndexSwitches(client, { 'idx-posts-user-created': true });
    expect(again.changes).toEqual([]);
    expect(again.analyzed).toEqual([]);
  });

  it('flips one switch alone and leaves switches it was not given as they are', async () => {
    await applyIndexSwitches(client, { 'fulltext-search': true });
    const r = await applyIndexSwitches(client, { 'idx-posts-user-created': false });
    expect(r.changes).toEqual([expect.objectContaining({ id: 'idx-posts-user-created', direction: 'down', indexes: ['posts_user_created_live_idx'] })]);
    const state = await indexState(client);
    expect(state['idx-posts-user-created'].applied).toBe(false);
    expect(state['fulltext-search'].applied).toBe(true);
  });

  it('sees a half-applied switch and completes it', async () => {
    await client.query('DROP INDEX users_display_name_trgm_idx');
    const state = await indexState(client);
    expect(state['fulltext-search']).toEqual({
      id: 'fulltext-search',
      applied: false,
      present: ['posts_body_fts_idx', 'users_username_trgm_idx'],
      missing: ['users_display_name_trgm_idx'],
    });
    const r = await applyIndexSwitches(client, { 'fulltext-search': true });
    expect(r.changes).toEqual([expect.objectContaining({ id: 'fulltext-search', direction: 'up', indexes: ['users_display_name_trgm_idx'] })]);
    expect((await indexState(client))['fulltext-search'].applied).toBe(true);
  });
});
