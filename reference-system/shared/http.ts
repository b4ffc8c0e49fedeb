/**
 * Express plumbing shared by the gateway and every service server: the one error handler that
 * turns ApiError (and the database's and Redis's failures) into `{ error: { code, message } }`
 * with the table's status, request timing by route, and the loopback guard for admin routes.
 */
import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { ApiError } from './api-errors.ts';
import { isConnectionError, isStatementTimeout } from './db.ts';
import { httpDurationHistogram } from './metrics.ts';

/** Maps any thrown value to an ApiError; unknown errors become 500 INTERNAL (details logged, not sent). */
export function toApiError(e: unknown): ApiError {
  if (e instanceof ApiError) return e;
  const err = e as { type?: string; status?: number; message?: string; name?: string };
  // body-parser's errors carry a type and a status.
  if (err?.type === 'entity.too.large') return new ApiError('PAYLOAD_TOO_LARGE', 'request body is too large', 'body');
  if (err?.type === 'entity.parse.failed') return new ApiError('VALIDATION_FAILED', 'request body is not valid JSON', 'body');
  if (err?.message === 'database provider is closed') return new ApiError('DEPENDENCY_UNAVAILABLE', 'the service is stopping', 'postgres', 5);
  if (isStatementTimeout(e)) return new ApiError('TIMEOUT', 'the database query was cancelled by its statement timeout', 'postgres');
  if (isConnectionError(e)) return new ApiError('DEPENDENCY_UNAVAILABLE', `postgres is unavailable: ${err.message ?? 'connection failed'}`, 'postgres', 5);
  if (isRedisUnavailable(e)) return new ApiError('DEPENDENCY_UNAVAILABLE', `redis is unavailable: ${err.message ?? 'command failed'}`, 'redis', 5);
  return new ApiError('INTERNAL', 'internal error');
}

export function isRedisUnavailable(e: unknown): boolean {
  const msg = (e as { message?: unknown } | null)?.message;
  return typeof msg === 'string' && /Stream isn't writeable|enableOfflineQueue|Command timed out|Connection is closed|MaxRetriesPerRequest|ECONNREFUSED.*6379|Reached the max retries/i.test(msg);
}

export function sendApiError(res: import('express').Response, e: ApiError): void {
  if (e.retryAfterS !== undefined) res.setHeader('Retry-After', String(Math.max(1, Math.ceil(e.retryAfterS))));
  res.status(e.status).json(e.toBody());
}

export function errorHandler(log: Logger): ErrorRequestHandler {
  return (e, req, res, _next) => {
    const api = toApiError(e);
    if (api.status >= 500) log.error({ err: (e as Error)?.message, stack: api.code === 'INTERNAL' ? (e as Error)?.stack : undefined, method: req.method, path: req.path, code: api.code }, 'request failed');
    if (res.headersSent) {
      res.end();
      return;
    }
    sendApiError(res, api);
  };
}

/** Times every request into brink_http_request_duration_seconds{service, method, route, status}. */
export function requestTimer(service: string, registry: Registry): RequestHandler {
  const h = httpDurationHistogram(registry);
  return (req, res, next) => {
    const end = h.startTimer();
    res.once('finish', () => end({ service, method: req.method, route: routeOf(req), status: String(res.statusCode) }));
    next();
  };
}

/** The matched route pattern (bounded label values), or the gateway's route label, else "unmatched". */
export function routeOf(req: Request): string {
  const local = (req.res?.locals as { route?: string } | undefined)?.route;
  if (local) return local;
  const path = req.route?.path;
  return typeof path === 'string' ? `${req.baseUrl}${path}` : 'unmatched';
}

export function isLoopbackAddress(addr: string | undefined): boolean {
  if (!addr) return false;
  return addr === '::1' || addr.startsWith('127.') || addr.startsWith('::ffff:127.');
}

/** Admin routes answer only to the machine itself. */
export const loopbackOnly: RequestHandler = (req, _res, next) => {
  if (!isLoopbackAddress(req.socket.remoteAddress)) return next(new ApiError('FORBIDDEN', 'admin routes are served to loopback callers only'));
  next();
};
