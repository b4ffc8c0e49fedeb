import { describe, expect, it } from 'vitest';
import { checkStatement } from './statement.ts';

describe('checkStatement', () => {
  it('accepts one SELECT and counts its parameters', async () => {
    expect(await checkStatement('SELECT * FROM posts WHERE user_id = $1 LIMIT $2')).toMatchObject({ ok: true, kind: 'select', writes: false, paramCount: 2 });
  });
  it('rejects two statements', async () => {
    expect(await checkStatement('SELECT 1; DROP TABLE posts')).toEqual({ ok: false, reason: 'expected exactly one statement, found 2; put each query in its own file' });
  });
  it('rejects DDL and names it', async () => {
    expect(await checkStatement('DROP TABLE posts')).toEqual({ ok: false, reason: 'unsupported statement DropStmt: only SELECT, INSERT, UPDATE and DELETE are explained' });
  });
  it('says where unparseable SQL fails', async () => {
    expect(await checkStatement('SELEC * FROM posts')).toEqual({ ok: false, reason: 'unparseable SQL: syntax error at or near "SELEC" at character 1' });
  });
  it('treats a data-modifying CTE as a write', async () => {
    expect(await checkStatement('WITH d AS (DELETE FROM stories RETURNING id) SELECT count(*) FROM d')).toMatchObject({ ok: true, kind: 'select', writes: true });
  });
  it('refuses SELECT INTO', async () => {
    expect(await checkStatement('SELECT * INTO copy FROM posts')).toMatchObject({ ok: false });
  });
});
