/**
 * Set-up for the gateway's integration tests: a fresh database, a platform on it (realtime off
 * unless asked), and a tiny JSON client that speaks to a gateway as a given client IP
 * (X-Forwarded-For from loopback is trusted, so each test can stand for its own caller).
 */
import { createDatabase, type CreatedDatabase, type StackState } from '../../stack/index.ts';
import { startPlatform, type PlatformOptions, type StartedPlatform } from '../platform.ts';
import { createLogger } from '../shared/logger.ts';

export interface TestPlatform {
  db: CreatedDatabase;
  platform: StartedPlatform;
  close(): Promise<void>;
}

export async function openPlatform(stack: StackState, name: string, opts: Partial<PlatformOptions> = {}): Promise<TestPlatform> {
  const db = await createDatabase(stack, `gw_${name}`);
  const platform = await startPlatform({
    infra: stack,
    variant: 'optimized',
    database: db.name,
    realtime: false,
    log: createLogger({ name: `test-${name}`, level: process.env.BRINK_LOG_LEVEL ?? 'silent' }),
    ...opts,
  });
  return {
    db,
    platform,
    async close() {
      await platform.stop();
      await db.drop();
    },
  };
}

export interface Reply<T = any> {
  status: number;
  headers: Headers;
  body: T;
  ms: number;
}

export function client(baseUrl: string, ip = '198.51.100.1') {
  return async function call<T = any>(method: string, path: string, opts: { body?: unknown; token?: string; headers?: Record<string, string> } = {}): Promise<Reply<T>> {
    const t0 = performance.now();
    const r = await fetch(baseUrl + path, {
      method,
      headers: {
        'x-forwarded-for': ip,
        ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
        ...opts.headers,
      },
      body: opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body),
    });
    const text = await r.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      /* not JSON */
    }
    return { status: r.status, headers: r.headers, body: body as T, ms: performance.now() - t0 };
  };
}

/** Registers a user from its own IP (register allows 3 per hour per IP) and returns the session. */
export async function register(baseUrl: string, username: string, ip: string): Promise<{ userId: number; accessToken: string; refreshToken: string }> {
  const r = await client(baseUrl, ip)('POST', '/api/auth/register', { body: { username, email: `${username}@example.test`, password: 'correct horse battery' } });
  if (r.status !== 201) throw new Error(`register ${username}: ${r.status} ${JSON.stringify(r.body)}`);
  return { userId: r.body.user.id, accessToken: r.body.accessToken, refreshToken: r.body.refreshToken };
}
