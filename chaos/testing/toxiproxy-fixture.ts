/**
 * Test fixture: a private, real toxiproxy-server (.tools/bin) on a free loopback port, with a tiny
 * HTTP server behind a proxy named "web", so chaos tests exercise real toxics without touching the
 * shared stack. Stop it with `await fixture.stop()` (or `await using`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { TOOLS_BIN } from '../../core/index.ts';
import { ToxiproxyClient } from '../../stack/index.ts';

export interface ToxiproxyFixture {
  /** Toxiproxy's API URL. */
  url: string;
  client: ToxiproxyClient;
  /** http://127.0.0.1:PORT through the "web" proxy. */
  proxiedUrl: string;
  /** The proxy's listen port, to point other proxies or clients at. */
  stop(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createNetServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

async function startUpstream(): Promise<{ server: Server; port: number }> {
  const server = createHttpServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain', connection: 'close' });
    res.end('ok'.repeat(1024));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  return { server, port: typeof addr === 'object' && addr ? addr.port : 0 };
}

export async function startToxiproxyFixture(): Promise<ToxiproxyFixture> {
  const upstream = await startUpstream();
  const apiPort = await freeLoopbackPort();
  const child: ChildProcess = spawn(join(TOOLS_BIN, 'toxiproxy-server'), ['-host', '127.0.0.1', '-port', String(apiPort)], {
    stdio: 'ignore',
  });
  const url = `http://127.0.0.1:${apiPort}`;
  const client = new ToxiproxyClient(url);
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const gone = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await Promise.race([gone, sleep(3000)]);
    }
    await new Promise((resolve) => upstream.server.close(resolve));
  };
  try {
    for (let i = 0; ; i++) {
      try {
        await client.version();
        break;
      } catch (e) {
        if (i >= 100) throw e;
        await sleep(50);
      }
    }
    const listenPort = await freeLoopbackPort();
    await client.createProxy('web', `127.0.0.1:${listenPort}`, `127.0.0.1:${upstream.port}`);
    return { url, client, proxiedUrl: `http://127.0.0.1:${listenPort}`, stop, [Symbol.asyncDispose]: stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** Duration of one GET through a fresh connection (the toxics act per connection), in ms. */
export async function timedGet(url: string, timeoutMs = 5000): Promise<{ ms: number; status: number | string }> {
  const start = performance.now();
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), headers: { connection: 'close' } });
    await res.arrayBuffer();
    return { ms: performance.now() - start, status: res.status };
  } catch (e) {
    return { ms: performance.now() - start, status: (e as Error).name };
  }
}
