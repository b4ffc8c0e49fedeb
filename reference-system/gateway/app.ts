/**
 * The gateway's express app with what every request goes through before its route: timing into
 * the duration histogram, the start time the hop split measures from, and gzip (NF-4) when the
 * `compression` switch is on and the client accepts it.
 */
import compression from 'compression';
import express, { type Express, type RequestHandler } from 'express';
import type { Registry } from 'prom-client';
import type { Switches } from '../../core/index.ts';
import { requestTimer } from '../shared/http.ts';

export function gatewayApp(switches: Readonly<Switches>, metrics: Registry): Express {
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
  app.use(gzipWhenAccepted(switches));
  return app;
}

/**
 * The compression middleware wraps every response (headers, write, end) before it knows whether
 * it will compress; a client that does not accept gzip never gets gzip, so it skips the wrapping.
 */
function gzipWhenAccepted(switches: Readonly<Switches>): RequestHandler {
  const gzip = compression({ level: 6, threshold: 1024 });
  return (req, res, next) => {
    if (!switches.compression) return next();
    if (/\bgzip\b/i.test(req.headers['accept-encoding'] ?? '')) return gzip(req, res, next);
    // What the middleware would have said: the answer depends on Accept-Encoding (shared caches).
    res.setHeader('Vary', 'Accept-Encoding');
    next();
  };
}
