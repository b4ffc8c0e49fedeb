/** The Toxiproxy server, and the proxies the launcher puts in front of each component. */
import { join } from 'node:path';
import { BINARIES } from '../system.ts';
import { spawnDetached, tail } from '../processes.ts';
import { waitFor } from '../wait.ts';
import type { ProxyInfo } from '../types.ts';
import { ToxiproxyClient } from '../toxiproxy/client.ts';
import { started, type StartedComponent } from './started.ts';

export type StartedToxiproxy = StartedComponent;

export async function startToxiproxy(dir: string, port: number, signal?: AbortSignal): Promise<StartedToxiproxy> {
  const logFile = join(dir, 'toxiproxy.log');
  const proc = spawnDetached('toxiproxy', BINARIES.toxiproxyServer, ['-host', '127.0.0.1', '-port', String(port)], { logFile, cwd: dir });
  const url = `http://127.0.0.1:${port}`;
  const version = await waitFor(
    `toxiproxy on 127.0.0.1:${port}`,
    async () => (await new ToxiproxyClient(url).version().catch(() => undefined)) || undefined,
    { timeoutMs: 15_000, ...(signal ? { signal } : {}), hint: () => `log: ${tail(logFile)}` },
  );
  return started({ process: proc, url, port, version });
}

/** Creates (or replaces) a proxy; returns where it listens. */
export async function createProxy(apiUrl: string, name: string, listen: string, upstream: string): Promise<ProxyInfo> {
  const client = new ToxiproxyClient(apiUrl);
  // A proxy of the same name left by a crashed run would make the create answer 409.
  await client.deleteProxy(name);
  const p = await client.createProxy(name, listen, upstream);
  return { name, listen: p.listen, upstream: p.upstream };
}
