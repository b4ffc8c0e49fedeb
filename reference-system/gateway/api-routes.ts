/**
 * The public API: one express route per GATEWAY_ROUTES entry, each a chain of small steps (label
 * for the duration histogram, JWT, JSON body, body validation, rate limit, forward), Socket.IO
 * long-polling passed through to chat, the OpenAPI document, and 404 for anything else.
 */
import express, { type Express, type RequestHandler } from 'express';
import { readFile } from 'node:fs/promises';
import { ApiError } from '../shared/api-errors.ts';
import { parseOr400 } from '../shared/validate.ts';
import type { Forward } from './forward.ts';
import type { UpstreamGroup } from './proxy.ts';
import type { RateRuleId } from './rate-limit.ts';
import type { DownstreamId, GatewayRoute } from './routes.ts';

export interface ApiRoutesDeps {
  /** The downstreams running on this platform; a route to any other answers 503. */
  groups: ReadonlyMap<DownstreamId, UpstreamGroup>;
  authenticate: RequestHandler;
  limit: (ruleId: RateRuleId) => RequestHandler;
  forward: Forward;
}

export function mountApiRoutes(app: Express, routes: readonly GatewayRoute[], d: ApiRoutesDeps): void {
  const jsonBody = express.json({ limit: '64kb' });
  for (const route of routes) app[route.method](route.path, ...routeHandlers(route, d, jsonBody));
  mountSocketIoPolling(app, d);
}

/** One route's steps, in order: the rate limit comes after authentication (rules may count per user). */
export function routeHandlers(route: GatewayRoute, d: ApiRoutesDeps, jsonBody: RequestHandler): RequestHandler[] {
  const handlers: RequestHandler[] = [
    (_req, res, next) => {
      res.locals.route = route.path;
      next();
    },
  ];
  if (route.auth) handlers.push(d.authenticate);
  if (route.method !== 'get' && route.method !== 'delete') handlers.push(jsonBody);
  if (route.body) {
    const schema = route.body;
    handlers.push((req, _res, next) => {
      parseOr400(schema, req.body, 'body');
      next();
    });
  }
  if (route.rateLimit) handlers.push(d.limit(route.rateLimit));
  const group = d.groups.get(route.service);
  handlers.push((req, res, next) => {
    if (!group) return next(new ApiError('DEPENDENCY_UNAVAILABLE', `service ${route.service} is not running on this platform`, route.service, 5));
    d.forward(route, group, req, res).catch(next);
  });
  return handlers;
}

/** Socket.IO long-polling (the WebSocket upgrade is handled on the server: upgrade.ts). */
function mountSocketIoPolling(app: Express, d: ApiRoutesDeps): void {
  const chat = d.groups.get('chat');
  // Polling payloads are not JSON: they are forwarded byte for byte.
  app.all('/socket.io{/*rest}', express.raw({ type: () => true, limit: '1mb' }), (req, res, next) => {
    res.locals.route = '/socket.io';
    if (!chat) return next(new ApiError('DEPENDENCY_UNAVAILABLE', 'chat is not running on this platform', 'chat', 5));
    d.forward({ service: 'chat' }, chat, req, res, true).catch(next);
  });
}

/** GET /openapi.yaml: the API's description, read per request (it is rarely asked for). */
export function openapiHandler(file: string | URL = new URL('../openapi.yaml', import.meta.url)): RequestHandler {
  return async (_req, res, next) => {
    try {
      res.type('application/yaml').send(await readFile(file, 'utf8'));
    } catch (e) {
      next(e);
    }
  };
}

export const notFound: RequestHandler = (req, _res, next) => next(new ApiError('NOT_FOUND', `no route ${req.method} ${req.path}`));
