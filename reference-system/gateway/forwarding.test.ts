import { describe, expect, it } from 'vitest';
import { deadlineMs, forwardRequest, serverTimingHeader, type IncomingCall } from './forwarding.ts';

const call = (over: Partial<IncomingCall>): IncomingCall => ({
  method: 'GET',
  url: '/api/feed?limit=20',
  ip: '198.51.100.7',
  requestId: 'req-1',
  authorization: 'Bearer abc',
  accept: 'application/json',
  contentType: undefined,
  body: undefined,
  userId: undefined,
  ...over,
});
const noNewId = () => {
  throw new Error('the caller sent an id');
};

describe('the deadline of a forward (NV-5)', () => {
  it("is the service's own with service-timeouts on, else the blanket 30 s", () => {
    expect(deadlineMs('auth', true)).toBe(5_000);
    expect(deadlineMs('posts', true)).toBe(10_000);
    expect(deadlineMs('auth', false)).toBe(30_000);
  });
});

describe('the request forwarded to a downstream', () => {
  it("carries the caller's id, address, credentials and verified user, and re-encodes a JSON body", () => {
    const r = forwardRequest(call({ method: 'POST', url: '/api/posts', body: { body: 'hi' }, contentType: 'application/json; charset=utf-8', userId: 42 }), 10_000, noNewId);
    expect(r).toEqual({
      method: 'POST',
      path: '/api/posts',
      headers: { 'x-request-id': 'req-1', 'x-forwarded-for': '198.51.100.7', accept: 'application/json', authorization: 'Bearer abc', 'x-user-id': '42', 'content-type': 'application/json' },
      body: '{"body":"hi"}',
      timeoutMs: 10_000,
    });
  });

  it('gives a request without an id a new one, asks for JSON by default and forwards no empty credentials', () => {
    const r = forwardRequest(call({ requestId: undefined, accept: undefined, authorization: '', ip: undefined }), 5_000, () => 'new-id');
    expect(r.headers).toEqual({ 'x-request-id': 'new-id', 'x-forwarded-for': '', accept: 'application/json' });
    expect(r.body).toBeUndefined();
  });

  it('sends no body with GET, DELETE or HEAD, whatever a parser left', () => {
    for (const method of ['GET', 'DELETE', 'HEAD']) {
      const r = forwardRequest(call({ method, body: {} }), 5_000, noNewId);
      expect(r.body, method).toBeUndefined();
      expect(r.headers['content-type'], method).toBeUndefined();
    }
  });

  it("relays raw bytes (Socket.IO polling) as they came, with the caller's content type", () => {
    const bytes = Buffer.from('40{"sid":"x"}');
    const r = forwardRequest(call({ method: 'POST', url: '/socket.io/?EIO=4&transport=polling', body: bytes, contentType: 'text/plain;charset=UTF-8' }), 10_000, noNewId);
    expect(r.body).toBe(bytes);
    expect(r.headers['content-type']).toBe('text/plain;charset=UTF-8');
    const empty = forwardRequest(call({ method: 'GET', body: Buffer.alloc(0), contentType: 'text/plain' }), 10_000, noNewId);
    expect(empty.body).toBeUndefined();
    expect(empty.headers['content-type']).toBe('text/plain');
  });
});

describe('the Server-Timing the caller gets', () => {
  it('names every hop with one decimal, the service under its own name', () => {
    const split = { requests: 1, totalMs: 30.04, gatewayMs: 5, transitMs: 10.25, serviceMs: 9, dbMs: 6 };
    expect(serverTimingHeader('posts', split)).toBe('gw;dur=5.0, transit;dur=10.3, posts;dur=9.0, db;dur=6.0, total;dur=30.0');
  });
});
