import { describe, expect, it } from 'vitest';
import { indexSwitches, listMigrations, parseCreatedIndexes, parseMigration, readBaselineSchema } from './migrate.ts';

describe('parseMigration', () => {
  it('splits header, up and down sections and lists the indexes up creates', () => {
    const m = parseMigration(
      '042-x',
      ['-- Why: first line.', '-- second line.', '-- up', 'CREATE UNIQUE INDEX IF NOT EXISTS a_idx ON t (a);', 'create index b_idx on "t2" (b);', '-- down', 'DROP INDEX IF EXISTS a_idx;', 'DROP INDEX IF EXISTS b_idx;'].join('\n'),
    );
    expect(m.id).toBe('042-x');
    expect(m.description).toBe('Why: first line. second line.');
    expect(m.up).toBe('CREATE UNIQUE INDEX IF NOT EXISTS a_idx ON t (a);\ncreate index b_idx on "t2" (b);');
    expect(m.down).toBe('DROP INDEX IF EXISTS a_idx;\nDROP INDEX IF EXISTS b_idx;');
    expect(m.indexes).toEqual([{ name: 'a_idx', table: 't' }, { name: 'b_idx', table: 't2' }]);
  });

  it('rejects a file without a down section', () => {
    expect(() => parseMigration('x', '-- up\nCREATE INDEX a ON t (a);\n')).toThrow('migration x: no "-- down" line');
  });

  it('rejects a file without an up section', () => {
    expect(() => parseMigration('x', '-- down\nDROP INDEX a;\n')).toThrow('migration x: no "-- up" line');
  });

  it('rejects down before up and empty sections', () => {
    expect(() => parseMigration('x', '-- down\nDROP INDEX a;\n-- up\nCREATE INDEX a ON t (a);')).toThrow('"-- down" comes before "-- up"');
    expect(() => parseMigration('x', '-- up\n-- just a comment\n-- down\nDROP INDEX a;')).toThrow('migration x: empty "-- up" section');
  });
});

describe('parseCreatedIndexes', () => {
  it('ignores commented-out statements and reads gin/partial forms', () => {
    const sql = `-- CREATE INDEX nope ON t (a);\nCREATE INDEX IF NOT EXISTS posts_body_fts_idx ON posts USING gin (to_tsvector('english', body)) WHERE deleted_at IS NULL;`;
    expect(parseCreatedIndexes(sql)).toEqual([{ name: 'posts_body_fts_idx', table: 'posts' }]);
  });

  it('finds the baseline schema secondary indexes', () => {
    expect(parseCreatedIndexes(readBaselineSchema()).map((i) => i.name)).toEqual([
      'follows_followee_idx',
      'posts_user_id_idx',
      'messages_conversation_id_idx',
    ]);
  });
});

describe('listMigrations and indexSwitches', () => {
  it('reads every migration in order, each with at least one index', () => {
    const ms = listMigrations();
    expect(ms.map((m) => m.id)).toEqual([...ms.map((m) => m.id)].sort());
    expect(ms.length).toBeGreaterThanOrEqual(9);
    for (const m of ms) expect(m.indexes.length).toBeGreaterThan(0);
  });

  it('resolves every index switch to its migrations', () => {
    const byId = Object.fromEntries(indexSwitches().map((s) => [s.id, s.migrations.map((m) => m.id)]));
    expect(byId['idx-newfeed']).toEqual(['004-posts-created-at', '005-comments-post-id', '006-comments-author-id']);
    expect(byId['fulltext-search']).toEqual(['007-posts-body-fulltext', '008-users-trigram']);
    expect(Object.keys(byId)).toHaveLength(6);
  });

  it('names a migration a switch refers to but the folder lacks', () => {
    expect(() => indexSwitches(listMigrations().filter((m) => m.id !== '009-stories-expires-at'))).toThrow(
      'switch idx-stories-expires names migration 009-stories-expires-at, which is not in sql-audit/migrations',
    );
  });
});
