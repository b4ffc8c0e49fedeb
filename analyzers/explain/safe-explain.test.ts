import { describe, expect, it } from 'vitest';
import type pg from 'pg';
import { explainOptions, safeExplain } from './safe-explain.ts';

/** A client that records what it was sent and answers EXPLAIN with a one-node plan. */
function recordingClient(failExplain = false) {
  const sent: string[] = [];
  const client = {
    async query(q: string | { text: string }) {
      const text = typeof q === 'string' ? q : q.text;
      sent.push(text);
      if (text.startsWith('EXPLAIN')) {
        if (failExplain) throw Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' });
        return { rows: [{ 'QUERY PLAN': [{ Plan: { 'Node Type': 'Seq Scan' } }] }] };
      }
      return { rows: [] };
    },
  } as unknown as pg.ClientBase;
  return { client, sent };
}

describe('safeExplain', () => {
  it('asks for JSON, and for ANALYZE and BUFFERS only when asked', () => {
    expect(explainOptions({})).toBe('FORMAT JSON');
    expect(explainOptions({ analyze: true })).toBe('ANALYZE, FORMAT JSON');
    expect(explainOptions({ analyze: true, buffers: true })).toBe('ANALYZE, BUFFERS, FORMAT JSON');
    expect(explainOptions({ buffers: true })).toBe('FORMAT JSON');
  });

  it('runs inside a read-only transaction with a statement timeout, and always rolls back', async () => {
    const { client, sent } = recordingClient();
    const plan = await safeExplain(client, 'SELECT 1', [], { timeoutMs: 1500 });
    expect(plan.Plan['Node Type']).toBe('Seq Scan');
    expect(sent).toEqual(['BEGIN READ ONLY', 'SET LOCAL statement_timeout = 1500', 'SET LOCAL lock_timeout = 1500', 'EXPLAIN (FORMAT JSON) SELECT 1', 'ROLLBACK']);
  });

  it('rolls back when the EXPLAIN fails, and passes the error on', async () => {
    const { client, sent } = recordingClient(true);
    await expect(safeExplain(client, 'UPDATE t SET x = 1', [], { timeoutMs: 100, analyze: true, readOnly: false })).rejects.toThrow(/statement timeout/);
    expect(sent[0]).toBe('BEGIN');
    expect(sent.at(-1)).toBe('ROLLBACK');
  });
});
