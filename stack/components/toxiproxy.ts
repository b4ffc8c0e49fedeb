/** The Toxiproxy server, and the proxies the launcher puts in front of each component. */
import { join } from 'node:path';
import { BINARIES } from '../system.ts';
import { spawnDetached, tail, type SpawnedProcess } from '../processes.ts';
import { waitFor } from '../wait.ts';
import type { ProxyInfo } from '../types.ts';

export interface StartedToxiproxy {
  process: SpawnedProcess;
  url: string;
  port: number;
  version: string;
}

export async function startToxiproxy(dir: string, port: number, signal?: AbortSignal): Promise<StartedToxiproxy> {
  const logFile = join(dir, 'toxiproxy.log');
  const proc = spawnDetached('toxiproxy', BINARIES.toxiproxyServer, ['-host', '127.0.0.1', '-port', String(port)], { logFile, cwd: dir });
  const url = `http://127.0.0.1:${port}`;
  const version = await waitFor(
    `toxiproxy on 127.0.0.1:${port}`,
    async () => {
      const res = await fetch(`${url}/version`, { signal: AbortSignal.timeout(1000) });
      return res.ok ? (await res.text()).trim() : undefined;
    },
    { timeoutMs: 15_000, ...(signal ? { signal } : {}), hint: () => `log: ${tail(logFile)}` },
  );
  return { process: proc, url, port, version };
}

/** Creates (or replaces) a proxy; returns where it listens. */
export async function createProxy(apiUrl: string, name: string, listen: string, upstream: string): Promise<ProxyInfo> {
  await fetch(`${apiUrl}/proxies/${encodeURIComponent(name)}`, { method: 'DELETE' }).catch(() => undefined);
  const res = await fetch(`${apiUrl}/proxies`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, listen, upstream, enabled: true }),
  });
  if (!res.ok) throw new Error(`toxiproxy: creating proxy ${name} (${listen} -> ${upstream}) failed: ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { listen: string; upstream: string };
  return { name, listen: body.listen, upstream: body.upstream };
}
