/**
 * Per-hop time (issue 14): every service answers with `Server-Timing: app;dur=<ms>, db;dur=<ms>`
 * (the whole request in the service, and the part spent in database queries, pool wait included).
 * The database time is summed per request through AsyncLocalStorage, so no handler has to pass a
 * timer around. The gateway reads the header to split a request's time into its own part, transit
 * (sockets, Toxiproxy hops, the service's accept queue), the service and the database.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { RequestHandler } from 'express';

interface RequestTimes {
  dbMs: number;
}

const current = new AsyncLocalStorage<RequestTimes>();

/** Adds a query's duration to the request it runs for (a no-op outside a request). */
export function addDbTime(ms: number): void {
  const t = current.getStore();
  if (t) t.dbMs += ms;
}

export const serverTiming: RequestHandler = (_req, res, next) => {
  const started = performance.now();
  const times: RequestTimes = { dbMs: 0 };
  const writeHead = res.writeHead;
  res.writeHead = function (this: typeof res, ...args: unknown[]) {
    if (!res.headersSent) res.setHeader('Server-Timing', `app;dur=${(performance.now() - started).toFixed(1)}, db;dur=${times.dbMs.toFixed(1)}`);
    return (writeHead as (...a: unknown[]) => typeof res).apply(this, args);
  } as typeof res.writeHead;
  current.run(times, next);
};

/** Reads `name;dur=<ms>` entries from a Server-Timing header value (several headers joined by ", "). */
export function parseServerTiming(header: string | string[] | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  const text = Array.isArray(header) ? header.join(', ') : header ?? '';
  for (const part of text.split(',')) {
    const [name, ...params] = part.trim().split(';');
    if (!name) continue;
    const dur = params.map((p) => /^\s*dur=([0-9.]+)\s*$/.exec(p)).find((m) => m !== null);
    if (dur) out[name.trim()] = (out[name.trim()] ?? 0) + Number(dur[1]);
  }
  return out;
}
