/**
 * The rate limit step of a route (NF-6): the caller's window under the route's rule, kept in Redis
 * with the `redis-rate-limit` switch on and in this process's memory with it off (the switch is read
 * per request), RateLimit-* headers on every answer, and 429 with Retry-After past the limit.
 */
import type { RequestHandler } from 'express';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Switches } from '../../core/index.ts';
import { ApiError } from '../shared/api-errors.ts';
import type { GatewayMetrics } from './gateway-metrics.ts';
import { memoryRateLimiter, RATE_RULES, redisRateLimiter, type RateDecision, type RateRule, type RateRuleId } from './rate-limit.ts';

export interface RateLimitDeps {
  redis: Redis;
  /** The live switches (read per request). */
  switches: Readonly<Switches>;
  failClosed: boolean;
  log: Logger;
  metrics: GatewayMetrics;
}

/** Builds both limiters once; returns the step for a rule. */
export function rateLimits(deps: RateLimitDeps): (ruleId: RateRuleId) => RequestHandler {
  const redisLimiter = redisRateLimiter(deps.redis, { failClosed: deps.failClosed, onRedisError: redisErrorReporter(deps) });
  const memoryLimiter = memoryRateLimiter();
  return (ruleId) => async (req, res, next) => {
    const rule = RATE_RULES[ruleId];
    const limiter = deps.switches['redis-rate-limit'] ? redisLimiter : memoryLimiter;
    const d = await limiter.check(rateLimitKey(ruleId, rule, res.locals.userId, req.ip), rule);
    deps.metrics.rateDecision(ruleId, d.allowed ? d.source : 'rejected');
    for (const [name, value] of Object.entries(rateLimitHeaders(rule, d))) res.setHeader(name, value);
    if (!d.allowed) return next(rateLimitedError(ruleId, rule, d));
    next();
  };
}

/** Counts every check Redis could not answer; warns at most every 5 s so an outage does not flood the log. */
function redisErrorReporter(deps: RateLimitDeps): (e: unknown) => void {
  let lastWarnMs = 0;
  return (e) => {
    deps.metrics.limiterRedisError();
    if (Date.now() - lastWarnMs > 5_000) {
      lastWarnMs = Date.now();
      deps.log.warn({ err: (e as Error).message, failClosed: deps.failClosed }, 'rate limiter could not reach redis');
    }
  };
}

/** The window a request counts in: per rule, and per user or per client IP as the rule says. */
export function rateLimitKey(ruleId: RateRuleId, rule: RateRule, userId: unknown, ip: string | undefined): string {
  const who = rule.by === 'user' ? `user:${userId as number}` : `ip:${ip}`;
  return `rl:${ruleId}:${who}`;
}

export function rateLimitHeaders(rule: RateRule, d: RateDecision): Record<'RateLimit-Limit' | 'RateLimit-Remaining', string> {
  return { 'RateLimit-Limit': String(rule.limit), 'RateLimit-Remaining': String(Math.max(0, rule.limit - d.count)) };
}

/** 429 with the rule in words and Retry-After in whole seconds (rounded up: never too early). */
export function rateLimitedError(ruleId: RateRuleId, rule: RateRule, d: RateDecision): ApiError {
  const retryAfterS = Math.ceil(d.retryAfterMs / 1000);
  return new ApiError('RATE_LIMITED', `rate limit "${ruleId}" exceeded: ${rule.limit} requests per ${rule.windowMs / 60_000} min per ${rule.by}; retry in ${retryAfterS} s`, undefined, retryAfterS);
}
