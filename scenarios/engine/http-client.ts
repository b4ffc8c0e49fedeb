/**
 * HTTP for the Node engine: keep-alive connections to the target, recording each request as k6
 * does (http_reqs, http_req_duration{name,status,expected_response}, http_req_failed). Plain
 * http:// targets (every loopback target) go through brink's own lean HTTP/1.1 connections
 * (http1-connection.ts: request heads built once, responses parsed in place, like autocannon);
 * https:// through an undici Pool.
 * A 429 is an expected answer (the platform's rate limits stay on): counted in rate_limited, not in
 * http_req_failed, and said in the run's notes.
 */
import { Pool } from 'undici';
import { Http1Connection } from './http1-connection.ts';

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

type Abortable = { abort(e: Error): void };

export class HttpClient {
  readonly #pool: Pool;
  readonly #origin: string;
  readonly #basePath: string;
  /** Requests under way that listen to the client's signal: one listener for all, not one each. */
  readonly #inFlight = new Set<Abortable>();
  /** Header objects and tag objects, shared between requests that are alike (no garbage per request). */
  readonly #headers = new Map<string, Record<string, string>>();
  readonly #tags = new Map<string, Record<string, string>>();

  // The lean path (http://): connections, free ones (most recently used last), waiters for one.
  readonly #fast: { host: string; port: number; hostHeader: string } | undefined;
  readonly #maxConnections: number;
  readonly #free: Http1Connection[] = [];
  readonly #busy = new Set<Http1Connection>();
  readonly #waiting: Array<{ resolve: (c: Http1Connection) => void; reject: (e: Error) => void }> = [];
  #open = 0;
  #closed = false;
  /** Request heads of bodiless requests by method, path and token: built once, written as they are. */
  readonly #heads = new Map<string, Buffer>();

  constructor(baseUrl: string, connections: number, private readonly sample: HttpSample, private readonly signal?: AbortSignal) {
    const u = new URL(baseUrl);
    this.#origin = u.origin;
    this.#basePath = u.pathname.replace(/\/$/, '');
    this.#maxConnections = Math.max(1, connections);
    this.#fast = u.protocol === 'http:' ? { host: u.hostname.replace(/^\[|\]$/g, ''), port: Number(u.port || 80), hostHeader: u.host } : undefined;
    this.#pool = new Pool(this.#origin, { connections, pipelining: 1, keepAliveTimeout: 30_000, headersTimeout: 60_000, bodyTimeout: 60_000 });
    signal?.addEventListener('abort', () => {
      for (const c of this.#inFlight) c.abort(new Error('aborted'));
      for (const c of this.#busy) c.destroy(new Error('aborted'));
      for (const w of this.#waiting.splice(0)) w.reject(new Error('aborted'));
    }, { once: true });
  }

  #connect(): Http1Connection {
    return new Http1Connection(this.#fast!.host, this.#fast!.port, 60_000);
  }

  #acquire(): Http1Connection | Promise<Http1Connection> {
    while (this.#free.length > 0) {
      const c = this.#free.pop()!;
      if (c.usable) return c;
      this.#open -= 1; // closed by the server while idle
    }
    if (this.#open < this.#maxConnections) {
      this.#open += 1;
      return this.#connect();
    }
    return new Promise((resolve, reject) => this.#waiting.push({ resolve, reject }));
  }

  #release(c: Http1Connection): void {
    if (!c.usable) {
      this.#open -= 1;
      if (this.#waiting.length > 0 && !this.#closed) {
        this.#open += 1;
        this.#waiting.shift()!.resolve(this.#connect());
      }
      return;
    }
    const w = this.#waiting.shift();
    if (w) w.resolve(c);
    else this.#free.push(c);
  }

  #head(method: string, path: string, token: string | undefined, bodyBytes: number | undefined): Buffer {
    const key = bodyBytes === undefined ? `${method} ${path} ${token ?? ''}` : undefined;
    const cached = key === undefined ? undefined : this.#heads.get(key);
    if (cached) return cached;
    const head = Buffer.from(
      `${method} ${path} HTTP/1.1\r\nhost: ${this.#fast!.hostHeader}\r\naccept: application/json\r\n` +
        (token ? `authorization: Bearer ${token}\r\n` : '') +
        (bodyBytes === undefined ? '' : `content-type: application/json\r\ncontent-length: ${bodyBytes}\r\n`) +
        '\r\n',
    );
    if (key !== undefined) {
      if (this.#heads.size >= 20_000) this.#heads.clear();
      this.#heads.set(key, head);
    }
    return head;
  }

  /** One request on a lean connection; a reused connection the server closed while idle is retried once. */
  async #sendFast(method: string, path: string, token: string | undefined, payload: string | undefined, discard: boolean, signal?: AbortSignal): Promise<{ status: number; text: string }> {
    if (signal?.aborted) throw new Error('aborted');
    const body = payload === undefined ? undefined : Buffer.from(payload);
    const head = this.#head(method, path, token, body?.length);
    for (let attempt = 0; ; attempt++) {
      const got = this.#acquire();
      const c = got instanceof Http1Connection ? got : await got;
      this.#busy.add(c);
      const own = signal !== undefined && signal !== this.signal ? () => c.destroy(new Error('aborted')) : undefined;
      if (own) signal!.addEventListener('abort', own, { once: true });
      try {
        const r = await c.send(head, body, discard);
        return { status: r.status, text: r.body ? r.body.toString('utf8') : '' };
      } catch (e) {
        if (attempt === 0 && c.staleFailure && !signal?.aborted) continue;
        throw e;
      } finally {
        if (own) signal!.removeEventListener('abort', own);
        this.#busy.delete(c);
        this.#release(c);
      }
    }
  }

  #headersFor(token: string | undefined, withBody: boolean): Record<string, string> {
    const key = `${withBody ? 'b' : 'g'}${token ?? ''}`;
    let h = this.#headers.get(key);
    if (!h) {
      h = { accept: 'application/json' };
      if (token) h.authorization = `Bearer ${token}`;
      if (withBody) h['content-type'] = 'application/json';
      if (this.#headers.size > 50_000) this.#headers.clear();
      this.#headers.set(key, h);
    }
    return h;
  }

  /** Tags of a finished request; frozen and shared when the request has no extra tags. */
  #tagsFor(name: string, method: string, status: number, failed: boolean, extra?: Record<string, string>): Record<string, string> {
    if (extra) return { name, method, ...extra, status: String(status), expected_response: failed ? 'false' : 'true' };
    const key = `${method} ${status} ${name}`;
    let t = this.#tags.get(key);
    if (!t) {
      t = Object.freeze({ name, method, status: String(status), expected_response: failed ? 'false' : 'true' }) as Record<string, string>;
      if (this.#tags.size > 10_000) this.#tags.clear();
      this.#tags.set(key, t);
    }
    return t;
  }

  async request(method: 'GET' | 'POST', path: string, o: RequestOptions): Promise<HttpResponse> {
    const start = o.intendedAtMs ?? performance.now();
    const payload = o.body === undefined ? undefined : JSON.stringify(o.body);
    let status = 0;
    let json: unknown;
    const signal = o.signal ?? this.signal;
    try {
      const r = this.#fast
        ? await this.#sendFast(method, this.#basePath + path, o.token, payload, o.discardBody === true, signal)
        : await this.#dispatch(method, this.#basePath + path, this.#headersFor(o.token, o.body !== undefined), payload, o.discardBody === true, signal);
      status = r.status;
      if (r.text) {
        try {
          json = JSON.parse(r.text);
        } catch {
          json = undefined;
        }
      }
    } catch (e) {
      if (signal?.aborted) throw e;
      status = 0; // network error, like k6's status 0
    }
    const ms = performance.now() - start;
    const failed = status === 0 || (status >= 400 && status !== 429);
    const tags = this.#tagsFor(o.name, method, status, failed, o.tags);
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
      let controller: Abortable | undefined;
      const shared = signal !== undefined && signal === this.signal;
      const onAbort = () => controller?.abort(new Error('aborted'));
      if (signal) {
        if (signal.aborted) return reject(new Error('aborted'));
        if (!shared) signal.addEventListener('abort', onAbort, { once: true });
      }
      const done = () => {
        if (controller) this.#inFlight.delete(controller);
        if (signal && !shared) signal.removeEventListener('abort', onAbort);
      };
      this.#pool.dispatch(
        { method, path, headers, ...(body === undefined ? {} : { body }) },
        {
          onRequestStart: (c: Abortable) => {
            controller = c;
            if (shared) this.#inFlight.add(c);
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
    this.#closed = true;
    for (const c of this.#free.splice(0)) c.destroy(new Error('client closed'));
    for (const c of this.#busy) c.destroy(new Error('client closed'));
    await this.#pool.close().catch(() => undefined);
  }
}
