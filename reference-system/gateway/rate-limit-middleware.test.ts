import { describe, expect, it } from 'vitest';
import { RATE_RULES } from './rate-limit.ts';
import { rateLimitedError, rateLimitHeaders, rateLimitKey } from './rate-limit-middleware.ts';

describe('the rate limit step', () => {
  it('keeps a window per client IP or per user, as the rule says', () => {
    expect(rateLimitKey('login', RATE_RULES.login, undefined, '198.51.100.9')).toBe('rl:login:ip:198.51.100.9');
    expect(rateLimitKey('create-post', RATE_RULES['create-post'], 42, '198.51.100.9')).toBe('rl:create-post:user:42');
  });

  it('tells the caller its limit and what is left of it, never below zero', () => {
    const rule = RATE_RULES['create-comment'];
    expect(rateLimitHeaders(rule, { allowed: true, count: 12, limit: 30, retryAfterMs: 0, source: 'redis' })).toEqual({ 'RateLimit-Limit': '30', 'RateLimit-Remaining': '18' });
    // A limiter that failed open counts nothing: the whole limit is left.
    expect(rateLimitHeaders(rule, { allowed: true, count: 0, limit: 30, retryAfterMs: 0, source: 'fail-open' })['RateLimit-Remaining']).toBe('30');
    expect(rateLimitHeaders(rule, { allowed: false, count: 31, limit: 30, retryAfterMs: 1, source: 'redis' })['RateLimit-Remaining']).toBe('0');
  });

  it('answers 429 with the rule in words and Retry-After rounded up to whole seconds', () => {
    const e = rateLimitedError('login', RATE_RULES.login, { allowed: false, count: 6, limit: 5, retryAfterMs: 1_500, source: 'memory' });
    expect(e.status).toBe(429);
    expect(e.retryAfterS).toBe(2);
    expect(e.toBody()).toEqual({ error: { code: 'RATE_LIMITED', message: 'rate limit "login" exceeded: 5 requests per 15 min per ip; retry in 2 s' } });
  });
});
