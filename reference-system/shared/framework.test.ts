import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ApiError } from './api-errors.ts';
import { keyFamily } from './cache.ts';
import { isConnectionError, isStatementTimeout } from './db.ts';
import { toApiError } from './http.ts';
import { createLogger } from './logger.ts';
import { ExpiringLru } from './lru.ts';
import { createSwitchStore } from './switch-store.ts';
import { switchesFor } from '../../core/index.ts';

describe('the expiring LRU (cache L1)', () => {
  it('expires entries after their TTL and evicts the least recently used beyond its size', () => {
    let now = 0;
    const lru = new ExpiringLru<number>(2, () => now);
    lru.set('a', 1, 100);
    lru.set('b', 2, 100);
    expect(lru.get('a')).toBe(1); // a is now the most recently used
    lru.set('c', 3, 100);
    expect(lru.get('b')).toBeUndefined();
    expect(lru.get('a')).toBe(1);
    now = 100;
    expect(lru.get('a')).toBeUndefined();
  });

  it('deletes by prefix', () => {
    const lru = new ExpiringLru<number>(10);
    lru.set('feed:1:a', 1, 1000);
    lru.set('feed:1:b', 1, 1000);
    lru.set('feed:2:a', 1, 1000);
    expect(lru.deletePrefix('feed:1:')).toBe(2);
    expect(lru.size).toBe(1);
  });

  it('labels keys by family', () => {
    expect(keyFamily('user:42')).toBe('user');
    expect(keyFamily('plain')).toBe('plain');
  });
});

describe('the live switch store', () => {
  it('updates the one object every context holds, and tells listeners what changed', () => {
    const store = createSwitchStore('optimized', switchesFor('optimized'));
    const held = store.current;
    const seen: unknown[] = [];
    store.onChange((changed) => seen.push(changed));
    store.set({ cache: false, breakers: true });
    expect(held.cache).toBe(false);
    expect(seen).toEqual([{ cache: false }]);
  });

  it('refuses an unknown switch naming it', () => {
    const store = createSwitchStore('baseline', switchesFor('baseline'));
    expect(() => store.set({ nope: true } as never)).toThrow(/^unknown switch "nope"; expected one of: idx-posts-user-created, /);
  });
});

describe('error mapping', () => {
  it('maps a statement timeout to 504 and a refused connection to 503 naming postgres', () => {
    const timeout = Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' });
    expect(isStatementTimeout(timeout)).toBe(true);
    expect(toApiError(timeout).toBody()).toEqual({ error: { code: 'TIMEOUT', message: 'the database query was cancelled by its statement timeout', field: 'postgres' } });
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6432'), { code: 'ECONNREFUSED' });
    expect(isConnectionError(refused)).toBe(true);
    expect(toApiError(refused).status).toBe(503);
    expect(toApiError(refused).field).toBe('postgres');
  });

  it('maps a Redis client with no connection to 503 naming redis, and anything unknown to a bare 500', () => {
    expect(toApiError(new Error("Stream isn't writeable and enableOfflineQueue options is false")).field).toBe('redis');
    const unknown = toApiError(new Error('secret internals'));
    expect(unknown.toBody()).toEqual({ error: { code: 'INTERNAL', message: 'internal error' } });
  });

  it('passes an ApiError through unchanged', () => {
    const e = new ApiError('FORBIDDEN', 'no');
    expect(toApiError(e)).toBe(e);
  });
});

describe('the logger', () => {
  it('never writes passwords or tokens', async () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _enc, cb) => (lines.push(String(chunk)), cb()) });
    const log = createLogger({ name: 't', level: 'info', destination: sink });
    log.info({ password: 'hunter2', body: { refreshToken: 'rt-secret', username: 'al' }, req: { headers: { authorization: 'Bearer jwt-secret' } }, user: { accessToken: 'at-secret' } }, 'login');
    await new Promise((r) => setImmediate(r));
    const out = lines.join('');
    expect(out).toContain('"username":"al"');
    for (const secret of ['hunter2', 'rt-secret', 'jwt-secret', 'at-secret']) expect(out).not.toContain(secret);
  });
});
