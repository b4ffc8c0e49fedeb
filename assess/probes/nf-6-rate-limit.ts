import { Redis } from 'ioredis';
import { startGateway, type DownstreamId, memoryRateLimiter, redisRateLimiter, RATE_RULES, createLogger, createMetricsRegistry, createSwitchStore } from '../../reference-system/index.ts';
import { createHistogram, recordMs, trendValues } from '../../core/index.ts';
import type { ClaimProbe } from '../probe.ts';
import type { AssessContext } from '../context.ts';
import { fmtMs, http } from '../measure.ts';
import { costAtMost, fact, judged, notRun, show, type ProbeResult } from '../verdict.ts';
import { n } from './lib.ts';

export interface Nf6Measurement {
  checks: number;
  /** p50 of one check: the Redis limiter (one MULTI round trip) and the in-process one. */
  redisCheckP50Ms: number;
  memoryCheckP50Ms: number;
  /** Logins from one IP alternated over two gateway instances, allowed before refusals (limit 5). */
  tries: number;
  allowedShared: number;
  allowedPerProcess: number;
}

export function judgeNf6(m: Nf6Measurement): ProbeResult {
  const cost = m.redisCheckP50Ms - m.memoryCheckP50Ms;
  return judged(
    'NF-6',
    `the gateway's own limiter code: ${m.checks} checks against the stack's Redis (sorted set, one MULTI) vs in-process; then ${m.tries} logins from one IP alternated over two gateway instances sharing Redis, switch redis-rate-limit off then on (login rule 5 per 15 min)`,
    `per check: Redis p50 ${fmtMs(m.redisCheckP50Ms)} vs in-process ${fmtMs(m.memoryCheckP50Ms)} (${show.plusMs(cost)}); two gateways allowed ${m.allowedPerProcess} logins with per-process windows, ${m.allowedShared} with Redis`,
    [
      costAtMost('+1-3 ms per check', cost, [1, 3], show.plusMs),
      fact('correct across several gateway instances (exactly 5 allowed over two)', m.allowedShared === 5, `${m.allowedShared} allowed with Redis (per-process windows: ${m.allowedPerProcess})`),
    ],
    { redisCheckP50Ms: m.redisCheckP50Ms, memoryCheckP50Ms: m.memoryCheckP50Ms, costPerCheckMs: cost, allowedShared: m.allowedShared, allowedPerProcess: m.allowedPerProcess },
  );
}

async function timeChecks(count: number, check: (i: number) => Promise<unknown>): Promise<number> {
  const h = createHistogram();
  for (let i = -20; i < count; i++) {
    const t0 = performance.now();
    await check(i);
    if (i >= 0) recordMs(h, performance.now() - t0);
  }
  return trendValues(h).p50;
}

/** Starts a second gateway in this process, on the platform's services, Redis namespace and secret. */
async function secondGateway(ctx: AssessContext) {
  const p = ctx.stack.platform;
  const downstreams: Partial<Record<DownstreamId, string[]>> = {};
  for (const id of ['auth', 'users', 'posts', 'comments', 'search', 'chat'] as const) if (p.services[id]) downstreams[id] = [p.services[id]!];
  const store = createSwitchStore('optimized', ctx.switches());
  const gw = await startGateway({
    instanceId: 'assess-gateway-2',
    store,
    downstreams,
    jwtSecret: p.jwtSecret,
    redisUrl: ctx.stack.urls.redis,
    redisKeyPrefix: `brink:${ctx.stack.database}:`,
    databaseUrl: ctx.stack.urls.pgbouncer,
    amqpUrl: ctx.stack.urls.amqp,
    metrics: createMetricsRegistry(),
    log: createLogger({ name: 'assess-gateway-2', level: 'silent' }),
  });
  return { gw, store };
}

/** NF-6: the cost of one Redis check, and exact limits across two gateway instances. */
export const nf6RateLimit: ClaimProbe = {
  id: 'nf-6-rate-limit',
  claimIds: ['NF-6'],
  description: 'times the Redis limiter\'s check against in-process windows, and counts logins allowed over two gateways with redis-rate-limit off, then on',
  profiles: ['smoke', 'full'],
  async run(ctx) {
    const auth = ctx.stack.platform?.services.auth;
    if (!auth) return [notRun('NF-6', 'the platform reports no auth service URL')];
    const checks = n(ctx, 300, 3000);
    const redis = new Redis(ctx.stack.urls.redis, { maxRetriesPerRequest: 1, keyPrefix: 'brink:assess-nf6:' });
    let redisCheckP50Ms: number;
    let memoryCheckP50Ms: number;
    try {
      const limiter = redisRateLimiter(redis);
      const memory = memoryRateLimiter();
      // Keys spread like client IPs; the rule large enough that checks are allowed (the common case).
      // Its own namespace; every key expires with its 60 s window.
      const rule = { limit: 1_000_000, windowMs: 60_000, by: 'ip' as const };
      redisCheckP50Ms = await timeChecks(checks, (i) => limiter.check(`ip:${i % 100}`, rule));
      memoryCheckP50Ms = await timeChecks(checks, (i) => memory.check(`ip:${i % 100}`, rule));
    } finally {
      redis.disconnect();
    }
    const stamp = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
    const password = 'assessment-password';
    const reg = await http(`${auth}/api/auth/register`, { method: 'POST', json: { username: `nf6_${stamp}`, email: `nf6_${stamp}@example.test`, password } });
    if (reg.status !== 201) return [notRun('NF-6', `registering a user on the auth service answered ${reg.status}`)];
    const { gw, store } = await secondGateway(ctx);
    const tries = RATE_RULES.login.limit * 2 + 2;
    try {
      const round = async (shared: boolean, ip: string) => {
        store.set({ 'redis-rate-limit': shared });
        return ctx.withSwitches({ 'redis-rate-limit': shared }, async () => {
          let allowed = 0;
          for (let i = 0; i < tries; i++) {
            const r = await http(`${i % 2 === 0 ? ctx.gateway : gw.url}/api/auth/login`, { method: 'POST', json: { username: `nf6_${stamp}`, password }, headers: { 'x-forwarded-for': ip } });
            if (r.status === 200) allowed++;
            else if (r.status !== 429) throw new Error(`login answered ${r.status}`);
          }
          return allowed;
        });
      };
      const allowedPerProcess = await round(false, `198.19.1.${Math.floor(Math.random() * 250) + 1}`);
      const allowedShared = await round(true, `198.19.2.${Math.floor(Math.random() * 250) + 1}`);
      return [judgeNf6({ checks, redisCheckP50Ms, memoryCheckP50Ms, tries, allowedShared, allowedPerProcess })];
    } finally {
      await gw.stop();
    }
  },
};
