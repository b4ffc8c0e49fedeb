/**
 * The engine's lean HTTP/1.1 path against a real node:http server on loopback: bodies framed by
 * Content-Length, chunked encoding (split anywhere), or the connection's end; a keep-alive
 * connection the server closed while idle is retried once; an abort ends requests under way.
 */
import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient } from './http-client.ts';

let server: Server;
let url: string;
const samples: Array<{ metric: string; value: number; tags: Record<string, string> }> = [];
const sample = (metric: string, value: number, tags: Record<string, string>) => void samples.push({ metric, value, tags });

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/chunked') {
      res.writeHead(200, { 'content-type': 'application/json' }); // no length: chunked
      res.write('{"items":[');
      setTimeout(() => res.end('1,2,3]}'), 5);
    } else if (req.url === '/echo') {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ got: JSON.parse(body), auth: req.headers.authorization })));
    } else if (req.url === '/missing') {
      res.writeHead(404, { 'content-length': 2 }).end('no');
    } else if (req.url === '/slow') {
      setTimeout(() => res.end('late'), 5000);
    } else {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': 11 }).end('{"ok":true}');
    }
  });
  server.keepAliveTimeout = 200; // idle connections are closed quickly: the stale retry is exercised
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('the engine HTTP client (lean HTTP/1.1 path)', () => {
  it('reads Content-Length and chunked bodies, posts JSON with the token, and records k6-style samples', async () => {
    const c = new HttpClient(url, 2, sample);
    samples.length = 0;
    expect(await c.get('/plain', { name: 'plain' })).toEqual({ status: 200, json: { ok: true } });
    expect(await c.get('/chunked', { name: 'chunked' })).toEqual({ status: 200, json: { items: [1, 2, 3] } });
    expect(await c.post('/echo', { a: 1 }, { name: 'echo', token: 't0k' })).toEqual({ status: 201, json: { got: { a: 1 }, auth: 'Bearer t0k' } });
    expect(await c.get('/missing', { name: 'missing', tags: { kind: 'x' } })).toEqual({ status: 404, json: undefined });
    expect(samples.filter((s) => s.metric === 'http_req_failed').map((s) => [s.tags.name, s.value, s.tags.status, s.tags.kind])).toEqual([
      ['plain', 0, '200', undefined], ['chunked', 0, '200', undefined], ['echo', 0, '201', undefined], ['missing', 1, '404', 'x'],
    ]);
    await c.close();
  });

  it('recovers when the server closed a kept-alive connection while it was idle', async () => {
    const c = new HttpClient(url, 1, sample);
    expect((await c.get('/plain', { name: 'a' })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 400)); // past the server's keep-alive timeout
    expect((await c.get('/plain', { name: 'b' })).status).toBe(200);
    await c.close();
  });

  it('reads a body framed by the connection closing, from a raw HTTP/1.0-style server', async () => {
    const raw = createTcpServer((s) => s.once('data', () => s.end('HTTP/1.1 200 OK\r\nconnection: close\r\n\r\n{"closed":true}')));
    await new Promise<void>((r) => raw.listen(0, '127.0.0.1', r));
    const c = new HttpClient(`http://127.0.0.1:${(raw.address() as AddressInfo).port}`, 1, sample);
    expect(await c.get('/', { name: 'raw' })).toEqual({ status: 200, json: { closed: true } });
    expect(await c.get('/', { name: 'raw' })).toEqual({ status: 200, json: { closed: true } });
    await c.close();
    await new Promise<void>((r) => raw.close(() => r()));
  });

  it('an abort of the client signal ends requests under way', async () => {
    const ac = new AbortController();
    const c = new HttpClient(url, 1, sample, ac.signal);
    const pending = c.get('/slow', { name: 'slow' });
    const queued = c.get('/slow', { name: 'slow' }); // waits for the one connection
    setTimeout(() => ac.abort(), 50);
    await expect(pending).rejects.toThrow('aborted');
    await expect(queued).rejects.toThrow('aborted');
    await c.close();
  });
});
