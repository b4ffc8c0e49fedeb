/**
 * Small measuring tools for claim probes: repeat an operation and summarize it with the project's
 * HDR histograms; time one HTTP exchange with its on-the-wire size (undici does not decompress).
 */
import { request } from 'undici';
import { createHistogram, recordMs, trendValues, type TrendValues } from '../core/index.ts';

export async function repeat(n: number, fn: (i: number) => Promise<unknown>, opts: { warmup?: number; concurrency?: number } = {}): Promise<TrendValues> {
  for (let i = 0; i < (opts.warmup ?? 0); i++) await fn(-1 - i);
  const h = createHistogram();
  const conc = Math.max(1, opts.concurrency ?? 1);
  let next = 0;
  const worker = async () => {
    while (next < n) {
      const i = next++;
      const t0 = performance.now();
      await fn(i);
      recordMs(h, performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: conc }, worker));
  return trendValues(h);
}

export interface HttpResult {
  status: number;
  ms: number;
  /** Body bytes as sent on the wire (compressed if the server compressed). */
  bytes: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export async function http(url: string, opts: { method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'; headers?: Record<string, string>; json?: unknown; timeoutMs?: number } = {}): Promise<HttpResult> {
  const t0 = performance.now();
  const res = await request(url, {
    method: opts.method ?? 'GET',
    headers: { ...(opts.json !== undefined ? { 'content-type': 'application/json' } : {}), ...opts.headers },
    ...(opts.json !== undefined ? { body: JSON.stringify(opts.json) } : {}),
    headersTimeout: opts.timeoutMs ?? 60_000,
    bodyTimeout: opts.timeoutMs ?? 60_000,
  });
  const body = Buffer.from(await res.body.arrayBuffer());
  return { status: res.statusCode, ms: performance.now() - t0, bytes: body.length, headers: res.headers, body };
}

export const fmtMs = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : ms >= 10 ? `${ms.toFixed(0)} ms` : ms >= 1 ? `${ms.toFixed(1)} ms` : `${ms.toFixed(2)} ms`);
export const ratio = (a: number, b: number) => (b > 0 ? a / b : Number.POSITIVE_INFINITY);
export const pct = (x: number) => `${(x * 100).toFixed(0)}%`;
