import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { failedQueryOutcome } from './db-errors.ts';
import { poolKey } from './db-pools.ts';
import { moduleDb, statementTimeoutSql, type ClientRunner } from './db-statements.ts';

/** A connection that records its statements and fails the one given. */
function recordingRunner(failOn?: string) {
  const sent: string[] = [];
  const client = {
    query: async (sql: string) => {
      sent.push(sql);
      if (sql === failOn) throw Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' });
      return { rows: [{ sql }] };
    },
  } as unknown as pg.ClientBase;
  const runner: ClientRunner = (_module, fn) => fn(client);
  const timedNames: string[] = [];
  const timed = <T>(name: string, run: () => Promise<T>) => (timedNames.push(name), run());
  return { sent, runner, timed, timedNames };
}

describe('the db provider pieces', () => {
  it('keys pools per service, or per module without a shared pool', () => {
    expect(poolKey('posts', 'feed', true)).toBe('posts');
    expect(poolKey('posts', 'feed', false)).toBe('posts/feed');
  });

  it('sets statement timeouts in whole milliseconds, never 0 (which would mean none)', () => {
    expect(statementTimeoutSql(2500.7)).toBe('SET LOCAL statement_timeout = 2500');
    expect(statementTimeoutSql(0.4)).toBe('SET LOCAL statement_timeout = 1');
  });

  it('labels failures as timeout, unavailable or error', () => {
    expect(failedQueryOutcome({ code: '57014' })).toBe('timeout');
    expect(failedQueryOutcome({ code: 'ECONNREFUSED' })).toBe('unavailable');
    expect(failedQueryOutcome({ code: '42P01', message: 'relation "x" does not exist' })).toBe('error');
  });

  it('runs a plain query as is, and one with a timeout in its own transaction', async () => {
    const r = recordingRunner();
    const db = moduleDb('feed', r.runner, r.timed);
    await db.query('plain', 'SELECT 1');
    await db.query('bounded', 'SELECT 2', [], { statementTimeoutMs: 300 });
    expect(r.sent).toEqual(['SELECT 1', 'BEGIN', 'SET LOCAL statement_timeout = 300', 'SELECT 2', 'COMMIT']);
    expect(r.timedNames).toEqual(['plain', 'bounded']);
  });

  it('rolls a transaction back when a statement in it fails, and times each statement by name', async () => {
    const r = recordingRunner('SELECT 2');
    const db = moduleDb('comments', r.runner, r.timed);
    await expect(
      db.transaction(async (tx) => {
        await tx.query('first', 'SELECT 1');
        await tx.query('second', 'SELECT 2', [], { statementTimeoutMs: 50 });
      }),
    ).rejects.toThrow('statement timeout');
    expect(r.sent).toEqual(['BEGIN', 'SELECT 1', 'SET LOCAL statement_timeout = 50', 'SELECT 2', 'ROLLBACK']);
    expect(r.timedNames).toEqual(['first', 'second']);
  });
});
