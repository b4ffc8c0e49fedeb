import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDatabase, type CreatedDatabase } from '../../stack/index.ts';
import { runCli } from '../../test/cli.ts';

describe('brink seed', () => {
  const stack = inject('stack');
  let db: CreatedDatabase;

  beforeAll(async () => {
    db = await createDatabase(stack, 'seed_cli_test');
  });

  afterAll(async () => {
    await db?.drop();
  });

  it('seeds small data with progress on stderr and one summary line on stdout', async () => {
    const r = await runCli(['seed', '--scale', 'small', '--seed', '3', '--database-url', db.url], {}, 170_000);
    expect(r.stderr).toContain('brink: seed copy');
    expect(r.stderr).toMatch(/posts +150,000 rows in [\d.]+ s \([\d,]+ rows\/s\)/);
    expect(r.stdout).toMatch(/^seeded small \(seed 3\): 2,000 users, [\d,]+ follows, 150,000 posts, 30,000 comments, 500 conversations, 20,000 messages, 2,000 stories in [\d.]+ s \([\d,]+ rows\/s overall; posts [\d,]+ rows\/s;/);
    expect(r.code).toBe(0);
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    try {
      const info = (await c.query(`SELECT value FROM dataset_info WHERE key = 'dataset'`)).rows[0].value;
      expect([info.scale, info.seed, info.posts]).toEqual(['small', 3, 150_000]);
    } finally {
      await c.end();
    }
  });

  it('exits 104 naming a bad scale and the valid ones', async () => {
    const r = await runCli(['seed', '--scale', 'huge', '--database-url', db.url]);
    expect(r.code).toBe(104);
    expect(r.stderr).toBe('brink: --scale "huge" is not valid; expected one of: small, medium, large\n');
  });

  it('exits 104 naming a bad seed and the valid range', async () => {
    const r = await runCli(['seed', '--scale', 'small', '--seed', '4294967296', '--database-url', db.url]);
    expect(r.code).toBe(104);
    expect(r.stderr).toBe('brink: --seed "4294967296" is not valid; expected an integer from 0 to 4294967295\n');
  });

  it('refuses a database that is not on this machine', async () => {
    const r = await runCli(['seed', '--scale', 'small', '--database-url', 'postgres://postgres@10.0.0.1:5432/brink']);
    expect(r.code).toBe(104);
    expect(r.stderr).toContain('database host "10.0.0.1" is not a loopback address');
  });
});
