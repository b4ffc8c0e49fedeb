/** Redis as a child process: loopback only, no persistence (a cache and rate-limit store). */
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { BINARIES } from '../system.ts';
import { spawnDetached, tail } from '../processes.ts';
import { waitFor } from '../wait.ts';
import { started, type StartedComponent } from './started.ts';

export type StartedRedis = StartedComponent;

export async function startRedis(dir: string, port: number, signal?: AbortSignal): Promise<StartedRedis> {
  const logFile = join(dir, 'redis.log');
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--maxclients', '20000', '--protected-mode', 'no', '--daemonize', 'no'];
  const proc = spawnDetached('redis', BINARIES.redisServer, args, { logFile, cwd: dir });
  const url = `redis://127.0.0.1:${port}`;
  const version = await waitFor(
    `redis on 127.0.0.1:${port}`,
    async () => {
      const r = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 1000 });
      try {
        await r.connect();
        const info = await r.info('server');
        return /redis_version:(\S+)/.exec(info)?.[1];
      } finally {
        r.disconnect();
      }
    },
    { timeoutMs: 15_000, ...(signal ? { signal } : {}), hint: () => `log: ${tail(logFile)}` },
  );
  return started({ process: proc, url, port, version });
}
