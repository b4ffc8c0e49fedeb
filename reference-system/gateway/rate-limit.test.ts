import { describe, expect, it } from 'vitest';
import { memoryRateLimiter, RATE_RULES } from './rate-limit.ts';

describe('the in-memory sliding window', () => {
  const rule = RATE_RULES.login;

  it('allows 5 logins in 15 minutes and refuses the sixth until the oldest leaves the window', async () => {
    const rl = memoryRateLimiter();
    const t0 = 1_000_000;
    for (let i = 0; i < 5; i++) expect((await rl.check('ip:a', rule, t0 + i * 1000)).allowed).toBe(true);
    const sixth = await rl.check('ip:a', rule, t0 + 10_000);
    expect(sixth).toEqual({ allowed: false, count: 6, limit: 5, retryAfterMs: 15 * 60_000 - 10_000, source: 'memory' });
    // The first request leaves the window 15 minutes after it was made.
    expect((await rl.check('ip:a', rule, t0 + 15 * 60_000 + 1)).allowed).toBe(true);
  });

  it('keeps one window per key', async () => {
    const rl = memoryRateLimiter();
    for (let i = 0; i < 5; i++) await rl.check('ip:a', rule, 1000 + i);
    expect((await rl.check('ip:a', rule, 2000)).allowed).toBe(false);
    expect((await rl.check('ip:b', rule, 2000)).allowed).toBe(true);
  });

  it('forgets the least recently used keys beyond its bound', async () => {
    const rl = memoryRateLimiter(2);
    await rl.check('a', rule, 1);
    await rl.check('b', rule, 2);
    await rl.check('c', rule, 3);
    expect(rl.size).toBe(2);
  });

  it('has NewFeed\'s rules', () => {
    expect(RATE_RULES).toEqual({
      login: { limit: 5, windowMs: 900_000, by: 'ip' },
      register: { limit: 3, windowMs: 3_600_000, by: 'ip' },
      'create-post': { limit: 10, windowMs: 3_600_000, by: 'user' },
      'create-comment': { limit: 30, windowMs: 900_000, by: 'user' },
    });
  });
});
