/**
 * The API gateway: one express app in front of the services. Per request: timing, optional gzip
 * (NF-4), JWT verification, rate limiting (NF-6), body validation, then a forward to the owning
 * service through its circuit breaker (NF-5) under a deadline (NV-5). Operational routes:
 * /health, /health/ready, /health/circuit-breakers, /metrics, /openapi.yaml, /admin/switches.
 */
import compression from 'compression';
import express, { type Request, type RequestHandler, type Response } from 'express';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { ApiError } from '../shared/api-errors.ts';
import { USER_ID_HEADER } from '../shared/context.ts';
import { cachedTokenVerifier, verifyAccessToken, type TokenVerifier } from '../shared/tokens.ts';
import { errorHandler, loopbackOnly, requestTimer } from '../shared/http.ts';
import { refreshPoolGauges } from '../shared/db.ts';
import { loopHandler, monitorLoop } from '../shared/loop-monitor.ts';
import { counter, gauge } from '../shared/metrics.ts';
import { closeRedis, createRedisClient, waitForRedis } from '../shared/redis.ts';
import { closeServer, listen } from '../shared/service-server.ts';
import type { SwitchStore } from '../shared/switch-store.ts';
import { parseOr400 } from '../shared/validate.ts';
import { changeSwitches, switchesBody } from './admin.ts';
import { BREAKER_CONFIGS, createBreaker, isOpenBreakerError, type DownstreamBreaker } from './breakers.ts';
import { HopRecorder, splitHops } from './hops.ts';
import { postgresCheck, rabbitmqCheck, redisCheck, runChecks, serviceCheck, type Check } from './health.ts';
import { DeadlineError, UpstreamError, UpstreamGroup, type ForwardResponse } from './proxy.ts';
import { memoryRateLimiter, RATE_RULES, redisRateLimiter, type RateRuleId } from './rate-limit.ts';
import { DOWNSTREAMS, GATEWAY_ROUTES, type DownstreamId, type GatewayRoute } from './routes.ts';
import { makeUpgradeHandler } from './upgrade.ts';

export { GATEWAY_ROUTES, DOWNSTREAMS, RATE_RULES, BREAKER_CONFIGS };
export type { DownstreamId };

/** NV-5: user 5 s, content 10 s (ranking 10 s lives inside posts); off = a blanket 30 s. */
export const SERVICE_TIMEOUTS_MS: Record<DownstreamId, number> = { auth: 5_000, users: 5_000, posts: 10_000, comments: 10_000, search: 10_000, chat: 10_000 };
export const BLANKET_TIMEOUT_MS = 30_000;

export interface GatewayOptions {
  instanceId: string;
  store: SwitchStore;
  /** Base URLs per downstream; chat may list several instances. */
  downstreams: Partial<Record<DownstreamId, readonly string[]>>;
  jwtSecret: string;
  redisUrl: string;
  redisKeyPrefix?: string;
  /** Through PgBouncer: what readiness checks. */
  databaseUrl: string;
  /** Direct Postgres (superuser) for index DDL on PUT /admin/switches; without it index switches are not applied. */
  adminDatabaseUrl?: string;
  amqpUrl: string;
  metrics: Registry;
  log: Logger;
  /** Services in other processes to tell about switch changes (split mode). */
  remoteSwitchUrls?: readonly string[];
  rateLimitFailClosed?: boolean;
  readyTimeoutMs?: number;
  openapiFile?: string;
  port?: number;
}

export interface StartedGateway {
  instanceId: string;
  url: string;
  breakers: Record<string, DownstreamBreaker>;
  stop(): Promise<void>;
}

export async function startGateway(opts: GatewayOptions): Promise<StartedGateway> {
  const { store, log, metrics } = opts;
  const sw = store.current;
  const redis = createRedisClient({ url: opts.redisUrl, keyPrefix: opts.redisKeyPrefix, log });
  // Commands fail fast while Redis is away; give it a moment at start so the first requests are
  // not counted as an outage. A Redis that stays down does not stop the gateway from starting.
  await waitForRedis(redis, 3_000);
  const groups = new Map<DownstreamId, UpstreamGroup>();
  for (const id of DOWNSTREAMS) {
    const urls = opts.downstreams[id];
    if (urls && urls.length > 0) groups.set(id, new UpstreamGroup(id, urls));
  }
  const breakers: Record<string, DownstreamBreaker> = Object.fromEntries([...groups.keys()].map((id) => [id, createBreaker(id, undefined, { longWindow: () => sw['breaker-window'] })]));

  const rateRejects = counter(metrics, { name: 'brink_rate_limit_decisions_total', help: 'Rate limit decisions by rule and outcome', labelNames: ['instance', 'rule', 'outcome'] });
  const limiterErrors = counter(metrics, { name: 'brink_rate_limit_redis_errors_total', help: 'Rate limit checks Redis could not answer (fail open or closed)', labelNames: ['instance'] });
  const breakerGauge = gauge(metrics, { name: 'brink_breaker_state', help: 'Circuit breaker state per downstream: 0 closed, 1 half-open, 2 open', labelNames: ['instance', 'service'] });
  const upstreamErrors = counter(metrics, { name: 'brink_gateway_upstream_errors_total', help: 'Forwarding failures by downstream and kind', labelNames: ['instance', 'service', 'kind'] });

  let lastLimiterWarnMs = 0;
  const redisLimiter = redisRateLimiter(redis, {
    failClosed: opts.rateLimitFailClosed ?? false,
    onRedisError: (e) => {
      limiterErrors.inc({ instance: opts.instanceId });
      if (Date.now() - lastLimiterWarnMs > 5_000) {
        lastLimiterWarnMs = Date.now();
        log.warn({ err: (e as Error).message, failClosed: opts.rateLimitFailClosed ?? false }, 'rate limiter could not reach redis');
      }
    },
  });
  const memoryLimiter = memoryRateLimiter();
  const gzip = compression({ level: 6, threshold: 1024 });

  const hops = new HopRecorder(redis);
  const app = express();
  app.disable('x-powered-by');
  // Load comes from loopback only; trusting X-Forwarded-For from loopback lets a load test or a
  // test case stand for many client IPs, which per-IP rate limits need.
  app.set('trust proxy', 'loopback');
  app.use(requestTimer('gateway', metrics));
  app.use((_req, res, next) => {
    res.locals.startedAt = performance.now();
    next();
  });
  // The compression middleware wraps every response (headers, write, end) before it knows whether
  // it will compress; a client that does not accept gzip never gets gzip, so it skips the wrapping.
  app.use((req, res, next) => {
    if (!sw.compression) return next();
    if (/\bgzip\b/i.test(req.headers['accept-encoding'] ?? '')) return gzip(req, res, next);
    // What the middleware would have said: the answer depends on Accept-Encoding (shared caches).
    res.setHeader('Vary', 'Accept-Encoding');
    next();
  });

  app.get('/health', (_req, res) => {
    res.json({ status: 'ok', instance: opts.instanceId, variant: store.variant, switches: store.current });
  });
  app.get('/health/ready', async (_req, res) => {
    const timeoutMs = opts.readyTimeoutMs ?? 2_000;
    const checks: Check[] = [postgresCheck(opts.databaseUrl, timeoutMs), redisCheck(redis), rabbitmqCheck(opts.amqpUrl, timeoutMs), ...[...groups.values()].map((g) => serviceCheck(g, timeoutMs))];
    const results = await runChecks(checks, timeoutMs);
    const failing = results.filter((r) => !r.ok).map((r) => r.name);
    res.status(failing.length === 0 ? 200 : 503).json({
      status: failing.length === 0 ? 'ready' : 'unavailable',
      ...(failing.length > 0 ? { reason: `not ready: ${failing.map((n) => `${n} (${results.find((r) => r.name === n)!.error})`).join(', ')}` } : {}),
      failing,
      checks: results,
    });
  });
  monitorLoop(opts.instanceId);
  app.get('/health/loop', loopbackOnly, loopHandler);
  app.get('/health/hops', loopbackOnly, async (_req, res) => {
    res.json(await hops.sums([...groups.keys()]));
  });
  app.get('/health/circuit-breakers', (_req, res) => {
    res.json({ enabled: sw.breakers, breakers: Object.values(breakers).map((b) => b.state()) });
  });
  app.get('/metrics', async (_req, res, next) => {
    try {
      refreshPoolGauges();
      for (const b of Object.values(breakers)) {
        const s = b.state().state;
        breakerGauge.set({ instance: opts.instanceId, service: b.service }, s === 'open' ? 2 : s === 'half-open' ? 1 : 0);
      }
      res.type(metrics.contentType).send(await metrics.metrics());
    } catch (e) {
      next(e);
    }
  });
  app.get('/openapi.yaml', async (_req, res, next) => {
    try {
      res.type('application/yaml').send(await readFile(opts.openapiFile ?? new URL('../openapi.yaml', import.meta.url), 'utf8'));
    } catch (e) {
      next(e);
    }
  });
  app.get('/admin/switches', loopbackOnly, (_req, res) => {
    res.json({ variant: store.variant, switches: store.current });
  });
  app.put('/admin/switches', loopbackOnly, express.json({ limit: '16kb' }), async (req, res) => {
    const { switches } = parseOr400(switchesBody, req.body, 'body');
    const result = await changeSwitches(store, switches, { adminDatabaseUrl: opts.adminDatabaseUrl, remoteUrls: opts.remoteSwitchUrls });
    log.info({ changed: result.changed, remotes: result.remotes }, 'switches changed');
    res.json(result);
  });

  // Verified tokens are remembered until they expire (issue 14 profile); BRINK_GATEWAY_TOKEN_CACHE=off
  // verifies every request again, for a benchmark's before/after.
  const verify: TokenVerifier = process.env.BRINK_GATEWAY_TOKEN_CACHE === 'off' ? (t) => verifyAccessToken(opts.jwtSecret, t) : cachedTokenVerifier(opts.jwtSecret);
  const authenticate: RequestHandler = async (req, res, next) => {
    const m = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '');
    if (!m) return next(new ApiError('UNAUTHENTICATED', 'missing bearer token (Authorization: Bearer <accessToken>)'));
    const claims = await verify(m[1]!);
    if (!claims) return next(new ApiError('UNAUTHENTICATED', 'access token is invalid or expired'));
    res.locals.userId = claims.userId;
    next();
  };

  const limit = (ruleId: RateRuleId): RequestHandler => async (req, res, next) => {
    const rule = RATE_RULES[ruleId];
    const who = rule.by === 'user' ? `user:${res.locals.userId as number}` : `ip:${req.ip}`;
    const limiter = sw['redis-rate-limit'] ? redisLimiter : memoryLimiter;
    const d = await limiter.check(`rl:${ruleId}:${who}`, rule);
    rateRejects.inc({ instance: opts.instanceId, rule: ruleId, outcome: d.allowed ? d.source : 'rejected' });
    res.setHeader('RateLimit-Limit', String(rule.limit));
    res.setHeader('RateLimit-Remaining', String(Math.max(0, rule.limit - d.count)));
    if (!d.allowed) {
      const retryAfterS = Math.ceil(d.retryAfterMs / 1000);
      return next(new ApiError('RATE_LIMITED', `rate limit "${ruleId}" exceeded: ${rule.limit} requests per ${rule.windowMs / 60_000} min per ${rule.by}; retry in ${retryAfterS} s`, undefined, retryAfterS));
    }
    next();
  };

  const jsonBody = express.json({ limit: '64kb' });
  for (const route of GATEWAY_ROUTES) {
    const group = groups.get(route.service);
    const handlers: RequestHandler[] = [
      (_req, res, next) => {
        res.locals.route = route.path;
        next();
      },
    ];
    if (route.auth) handlers.push(authenticate);
    if (route.method !== 'get' && route.method !== 'delete') handlers.push(jsonBody);
    if (route.body) {
      const schema = route.body;
      handlers.push((req, _res, next) => {
        parseOr400(schema, req.body, 'body');
        next();
      });
    }
    if (route.rateLimit) handlers.push(limit(route.rateLimit));
    handlers.push((req, res, next) => {
      if (!group) return next(new ApiError('DEPENDENCY_UNAVAILABLE', `service ${route.service} is not running on this platform`, route.service, 5));
      forward(route, group, req, res).catch(next);
    });
    app[route.method](route.path, ...handlers);
  }
  // Socket.IO long-polling (the WebSocket upgrade is handled on the server below).
  const chat = groups.get('chat');
  // Polling payloads are not JSON: they are forwarded byte for byte.
  app.all('/socket.io{/*rest}', express.raw({ type: () => true, limit: '1mb' }), (req, res, next) => {
    res.locals.route = '/socket.io';
    if (!chat) return next(new ApiError('DEPENDENCY_UNAVAILABLE', 'chat is not running on this platform', 'chat', 5));
    forward({ method: 'all', path: '/socket.io', service: 'chat', auth: false }, chat, req, res, true).catch(next);
  });
  app.use((req, _res, next) => next(new ApiError('NOT_FOUND', `no route ${req.method} ${req.path}`)));
  app.use(errorHandler(log));

  async function forward(route: GatewayRoute, group: UpstreamGroup, req: Request, res: Response, firstInstance = false): Promise<void> {
    const serviceTimeout = sw['service-timeouts'] ? SERVICE_TIMEOUTS_MS[route.service] : BLANKET_TIMEOUT_MS;
    const breaker = breakers[route.service]!;
    // The breaker judges this deadline and has no shorter timer of its own (NV-5: breakers.ts).
    const timeoutMs = serviceTimeout;
    const headers: Record<string, string> = {
      'x-request-id': req.get('x-request-id') ?? randomUUID(),
      'x-forwarded-for': req.ip ?? '',
      accept: req.get('accept') ?? 'application/json',
    };
    const auth = req.get('authorization');
    if (auth) headers.authorization = auth;
    if (res.locals.userId !== undefined) headers[USER_ID_HEADER] = String(res.locals.userId);
    let body: string | Buffer | undefined;
    if (Buffer.isBuffer(req.body)) {
      if (req.body.length > 0) body = req.body;
      const type = req.get('content-type');
      if (type) headers['content-type'] = type;
    } else if (req.body !== undefined && req.method !== 'GET' && req.method !== 'DELETE' && req.method !== 'HEAD') {
      body = JSON.stringify(req.body);
      headers['content-type'] = 'application/json';
    }
    const upstream = firstInstance ? group.members[0]! : group.pick();
    const call = () => upstream.forward({ method: req.method, path: req.originalUrl, headers, body, timeoutMs });
    let response: ForwardResponse;
    const sentAt = performance.now();
    try {
      response = sw.breakers ? await breaker.fire(call) : await call();
    } catch (e) {
      if (e instanceof UpstreamError) {
        response = e.response;
      } else {
        throw upstreamFailure(route.service, e, breaker);
      }
    }
    const now = performance.now();
    const split = splitHops(now - ((res.locals.startedAt as number | undefined) ?? sentAt), now - sentAt, response.headers['server-timing']);
    hops.record(route.service, split);
    for (const [k, v] of Object.entries(response.headers)) res.setHeader(k, v);
    // The caller sees every hop: the gateway's own part and the transit added to the service's entries.
    res.setHeader('Server-Timing', `gw;dur=${split.gatewayMs.toFixed(1)}, transit;dur=${split.transitMs.toFixed(1)}, ${route.service};dur=${split.serviceMs.toFixed(1)}, db;dur=${split.dbMs.toFixed(1)}, total;dur=${split.totalMs.toFixed(1)}`);
    res.status(response.status).send(response.body);
  }

  function upstreamFailure(service: DownstreamId, e: unknown, breaker: DownstreamBreaker): ApiError {
    if (isOpenBreakerError(e)) {
      upstreamErrors.inc({ instance: opts.instanceId, service, kind: 'circuit_open' });
      const st = breaker.state();
      const retryAfterS = st.retryAt ? Math.max(1, Math.ceil((Date.parse(st.retryAt) - Date.now()) / 1000)) : breaker.config.resetTimeoutMs / 1000;
      return new ApiError('CIRCUIT_OPEN', `circuit breaker for ${service} is open (last failure: ${st.lastFailure ?? 'unknown'}); retry in ${retryAfterS} s`, service, retryAfterS);
    }
    if (e instanceof DeadlineError || (e as { code?: string }).code === 'ETIMEDOUT') {
      upstreamErrors.inc({ instance: opts.instanceId, service, kind: 'timeout' });
      return new ApiError('TIMEOUT', `${service} did not answer within ${e instanceof DeadlineError ? e.timeoutMs : breaker.config.timeoutMs} ms`, service);
    }
    upstreamErrors.inc({ instance: opts.instanceId, service, kind: 'unavailable' });
    const err = e as { code?: string; message?: string };
    return new ApiError('DEPENDENCY_UNAVAILABLE', `${service} is unavailable: ${err.code ?? ''} ${err.message ?? ''}`.replace(/\s+/g, ' ').trim(), service, 5);
  }

  const server = await listen(app, opts.port ?? 0, '127.0.0.1');
  const chatUrls = opts.downstreams.chat ?? [];
  server.on('upgrade', makeUpgradeHandler(() => chatUrls, (e) => log.warn({ err: e.message }, 'websocket upgrade to chat failed')));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  log.info({ url, instance: opts.instanceId, downstreams: Object.fromEntries([...groups].map(([k, g]) => [k, g.members.map((m) => m.baseUrl)])) }, 'gateway listening');

  return {
    instanceId: opts.instanceId,
    url,
    breakers,
    async stop() {
      await closeServer(server);
      for (const b of Object.values(breakers)) b.shutdown();
      hops.stop();
      await Promise.all([...groups.values()].map((g) => g.close()));
      await closeRedis(redis);
    },
  };
}
