/**
 * HTTP for the Node engine: one undici Pool per origin with keep-alive connections, recording each
 * request as k6 does (http_reqs, http_req_duration{name,status,expected_response}, http_req_failed).
 * A 429 is an expected answer (the platform's rate limits stay on): counted in rate_limited, not in
 * http_req_failed, and said in the run's notes.
 */
import { Pool } from 'undici';

export interface HttpSample {
  (metric: string, value: number, tags: Record<string, string>): void;
}

export interface HttpResponse {
  status: number;
  /** Parsed JSON body, or undefined when it is not JSON. */
  json: unknown;
}

export interface RequestOptions {
  name: string;
  token?: string;
  body?: unknown;
  /** performance.now() the request was meant to start (open model); latency is measured from it. */
  intendedAtMs?: number;
  /** Extra tags, e.g. { kind: 'search' }. */
  tags?: Record<string, string>;
  /** Skip parsing the body (just drain it): the hot path of the benchmarks. */
  discardBody?: boolean;
  signal?: AbortSignal;
}

export class HttpClient {
  readonly #pool: Pool;
  readonly #origin: string;
  readonly #basePath: string;

  constructor(baseUrl: string, connections: number, private readonly sample: HttpSample) {
    const u = new URL(baseUrl);
    this.#origin = u.origin;
    this.#basePath = u.pathname.replace(/\/$/, '');
    this.#pool = new Pool(this.#origin, { connections, pipelining: 1, keepAliveTimeout: 30_000, headersTimeout: 60_000, bodyTimeout: 60_000 });
  }

  async request(method: 'GET' | 'POST', path: string, o: RequestOptions): Promise<HttpResponse> {
    const start = o.intendedAtMs ?? performance.now();
    const headers: Record<string, string> = { accept: 'application/json' };
    if (o.token) headers.authorization = `Bearer ${o.token}`;
    let payload: string | undefined;
    if (o.body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(o.body);
    }
    const tags: Record<string, string> = { name: o.name, method, ...o.tags };
    let status = 0;
    let json: unknown;
    try {
      const r = await this.#dispatch(method, this.#basePath + path, headers, payload, o.discardBody === true, o.signal);
      status = r.status;
      if (r.text) {
        try {
          json = JSON.parse(r.text);
        } catch {
          json = undefined;
        }
      }
    } catch (e) {
      if (o.signal?.aborted) throw e;
      status = 0; // network error, like k6's status 0
    }
    const ms = performance.now() - start;
    const failed = status === 0 || (status >= 400 && status !== 429);
    tags.status = String(status);
    tags.expected_response = failed ? 'false' : 'true';
    this.sample('http_reqs', 1, tags);
    this.sample('http_req_duration', ms, tags);
    this.sample('http_req_failed', failed ? 1 : 0, tags);
    if (status === 429) this.sample('rate_limited', 1, tags);
    return { status, json };
  }

  /**
   * undici's low-level dispatch: no response stream objects per request (Pool.request costs about
   * twice the CPU per request, which caps a load generator on a small machine).
   */
  #dispatch(method: string, path: string, headers: Record<string, string>, body: string | undefined, discard: boolean, signal?: AbortSignal): Promise<{ status: number; text: string }> {
    return new Promise((resolve, reject) => {
      let status = 0;
      const chunks: Buffer[] = [];
      let abortRequest: ((e: Error) => void) | undefined;
      const onAbort = () => abortRequest?.(new Error('aborted'));
      if (signal) {
        if (signal.aborted) return reject(new Error('aborted'));
        signal.addEventListener('abort', onAbort, { once: true });
      }
      const done = () => signal?.removeEventListener('abort', onAbort);
      this.#pool.dispatch(
        { method, path, headers, ...(body === undefined ? {} : { body }) },
        {
          onRequestStart: (controller: { abort(e: Error): void }) => {
            abortRequest = (e) => controller.abort(e);
          },
          onResponseStart: (_c: unknown, statusCode: number) => {
            status = statusCode;
          },
          onResponseData: (_c: unknown, chunk: Buffer) => {
            if (!discard) chunks.push(chunk);
          },
          onResponseEnd: () => {
            done();
            resolve({ status, text: discard ? '' : Buffer.concat(chunks).toString('utf8') });
          },
          onResponseError: (_c: unknown, err: Error) => {
            done();
            reject(err);
          },
        } as never,
      );
    });
  }

  get(path: string, o: RequestOptions) {
    return this.request('GET', path, o);
  }

  post(path: string, body: unknown, o: RequestOptions) {
    return this.request('POST', path, { ...o, body });
  }

  async close(): Promise<void> {
    await this.#pool.close().catch(() => undefined);
  }
}
