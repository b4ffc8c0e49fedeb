import { describe, expect, it } from 'vitest';
import { readinessAnswer, runChecks } from './health.ts';

describe('readiness (LC-4)', () => {
  it('is 200 ready when every check passed', () => {
    const checks = [
      { name: 'postgres', ok: true, latencyMs: 3.2 },
      { name: 'redis', ok: true, latencyMs: 0.4 },
    ];
    expect(readinessAnswer(checks)).toEqual({ status: 200, body: { status: 'ready', failing: [], checks } });
  });

  it('is 503 naming each failing dependency with its error', () => {
    const checks = [
      { name: 'postgres', ok: true, latencyMs: 3.2 },
      { name: 'redis', ok: false, latencyMs: 2000, error: 'no answer within 2000 ms' },
      { name: 'posts', ok: false, latencyMs: 1.1, error: 'http://127.0.0.1:4002/health answered 500' },
    ];
    expect(readinessAnswer(checks)).toEqual({
      status: 503,
      body: { status: 'unavailable', reason: 'not ready: redis (no answer within 2000 ms), posts (http://127.0.0.1:4002/health answered 500)', failing: ['redis', 'posts'], checks },
    });
  });

  it('gives up on a check that does not answer within the timeout, and keeps the others', async () => {
    const results = await runChecks(
      [
        { name: 'hangs', run: () => new Promise<void>(() => undefined) },
        { name: 'fails', run: async () => Promise.reject(new Error('refused')) },
        { name: 'answers', run: async () => undefined },
      ],
      50,
    );
    expect(results.map(({ name, ok, error }) => ({ name, ok, error }))).toEqual([
      { name: 'hangs', ok: false, error: 'no answer within 50 ms' },
      { name: 'fails', ok: false, error: 'refused' },
      { name: 'answers', ok: true, error: undefined },
    ]);
  });
});
