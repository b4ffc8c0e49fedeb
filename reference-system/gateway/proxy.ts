/**
 * Forwarding to downstream services over HTTP: one undici Pool (keep-alive) per downstream base
 * URL, a deadline per call (NV-5), the caller's verified id in USER_ID_HEADER, and the response
 * buffered (bodies are small JSON) so the gateway can compress it and a circuit breaker can judge it.
 */
import { Pool } from 'undici';
import type { IncomingHttpHeaders } from 'node:http';

export interface ForwardRequest {
  method: string;
  /** Path and query, e.g. "/api/feed?limit=20". */
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer;
  timeoutMs: number;
}

export interface ForwardResponse {
  status: number;
  headers: Record<string, string | string[]>;
  body: Buffer;
}

/** A 5xx answer, thrown so a breaker counts it as a failure; the caller still relays it. */
export class UpstreamError extends Error {
  constructor(readonly response: ForwardResponse) {
    super(`upstream answered ${response.status}`);
  }
}

export class DeadlineError extends Error {
  readonly code = 'DEADLINE';
  constructor(readonly timeoutMs: number) {
    super(`no response within ${timeoutMs} ms`);
  }
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'proxy-connection', 'upgrade', 'te', 'trailer', 'content-encoding']);

export function relayableHeaders(h: IncomingHttpHeaders | Record<string, string | string[] | undefined>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined && !HOP_BY_HOP.has(k.toLowerCase())) out[k] = v;
  return out;
}

export class Upstream {
  private readonly pool: Pool;
  constructor(
    readonly baseUrl: string,
    connections = 128,
  ) {
    this.pool = new Pool(baseUrl, { connections, keepAliveTimeout: 30_000, connect: { timeout: 2_000 } });
  }

  async forward(r: ForwardRequest): Promise<ForwardResponse> {
    const ac = new AbortController();
    const timer = setTimeout(() => ac.abort(new DeadlineError(r.timeoutMs)), r.timeoutMs);
    try {
      const res = await this.pool.request({
        method: r.method as 'GET',
        path: r.path,
        headers: r.headers,
        body: r.body,
        signal: ac.signal,
      });
      const body = Buffer.from(await res.body.arrayBuffer());
      const out = { status: res.statusCode, headers: relayableHeaders(res.headers), body };
      if (res.statusCode >= 500) throw new UpstreamError(out);
      return out;
    } catch (e) {
      if (ac.signal.aborted) throw ac.signal.reason instanceof DeadlineError ? ac.signal.reason : new DeadlineError(r.timeoutMs);
      throw e;
    } finally {
      clearTimeout(timer);
    }
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

/** Round-robin over one service's instances (chat may run several). */
export class UpstreamGroup {
  private next = 0;
  readonly members: Upstream[];
  constructor(readonly service: string, baseUrls: readonly string[]) {
    this.members = baseUrls.map((u) => new Upstream(u));
  }
  pick(): Upstream {
    const u = this.members[this.next++ % this.members.length];
    if (!u) throw new Error(`no instance of ${this.service} to forward to`);
    return u;
  }
  async close(): Promise<void> {
    await Promise.all(this.members.map((m) => m.close()));
  }
}
