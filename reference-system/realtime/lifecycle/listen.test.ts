import { createServer } from 'node:http';
import { describe, expect, it } from 'vitest';
import { httpUrl, listen } from './listen.ts';

describe('listen', () => {
  it('writes an IPv6 host in brackets', () => {
    expect(httpUrl('127.0.0.1', 8080)).toBe('http://127.0.0.1:8080');
    expect(httpUrl('::1', 8080)).toBe('http://[::1]:8080');
  });

  it('answers with the port it got, and rejects a port in use', async () => {
    const a = createServer();
    const url = await listen(a, '127.0.0.1', 0);
    const port = Number(new URL(url).port);
    expect(port).toBeGreaterThan(0);
    const b = createServer();
    await expect(listen(b, '127.0.0.1', port)).rejects.toThrow(/EADDRINUSE/);
    await new Promise((r) => a.close(r));
  });
});
