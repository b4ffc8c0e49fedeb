/**
 * RabbitMQ as a child process, run as the rabbitmq user (it refuses to write as root-owned files
 * otherwise) with its node name, ports, data, logs, Erlang cookie and even its epmd daemon private to
 * this stack, so two stacks never meet and `down` leaves nothing behind.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect } from 'amqplib';
import { BINARIES, chownTree, runAsFor } from '../system.ts';
import { spawnDetached, tail } from '../processes.ts';
import { waitFor } from '../wait.ts';
import { started, type StartedComponent } from './started.ts';

export interface StartedRabbitMq extends StartedComponent {
  distPort: number;
  epmdPort: number;
  nodeName: string;
}

export function rabbitEnv(dir: string, nodeName: string, port: number, distPort: number, epmdPort: number): NodeJS.ProcessEnv {
  return {
    HOME: join(dir, 'home'),
    RABBITMQ_NODENAME: nodeName,
    RABBITMQ_NODE_IP_ADDRESS: '127.0.0.1',
    RABBITMQ_NODE_PORT: String(port),
    RABBITMQ_DIST_PORT: String(distPort),
    ERL_EPMD_PORT: String(epmdPort),
    ERL_EPMD_ADDRESS: '127.0.0.1',
    RABBITMQ_MNESIA_BASE: join(dir, 'mnesia'),
    RABBITMQ_LOG_BASE: join(dir, 'log'),
    RABBITMQ_LOGS: '-',
    RABBITMQ_ENABLED_PLUGINS_FILE: join(dir, 'enabled_plugins'),
    RABBITMQ_CONFIG_FILE: join(dir, 'rabbitmq'),
    RABBITMQ_PID_FILE: join(dir, 'rabbitmq.pid'),
  };
}

export async function startRabbitMq(dir: string, ports: { port: number; distPort: number; epmdPort: number }, signal?: AbortSignal): Promise<StartedRabbitMq> {
  const who = runAsFor('rabbitmq');
  for (const d of ['home', 'mnesia', 'log']) mkdirSync(join(dir, d), { recursive: true });
  writeFileSync(join(dir, 'enabled_plugins'), '[].\n');
  // Small machine: no disk alarm on a nearly full disk, and the default 40% memory watermark.
  writeFileSync(join(dir, 'rabbitmq.conf'), 'disk_free_limit.absolute = 50MB\nloopback_users = none\n');
  chownTree(dir, who);
  const nodeName = `brink${ports.port}@localhost`;
  const env = rabbitEnv(dir, nodeName, ports.port, ports.distPort, ports.epmdPort);
  const logFile = join(dir, 'rabbitmq.out');
  const proc = spawnDetached('rabbitmq', BINARIES.rabbitmqServer, [], { logFile, env, cwd: dir, ...(who ? { uid: who.uid, gid: who.gid } : {}) });
  const url = `amqp://guest:guest@127.0.0.1:${ports.port}`;
  const version = await waitFor(
    `rabbitmq on 127.0.0.1:${ports.port}`,
    async () => {
      const conn = await connect(url, { timeout: 2000 });
      try {
        const props = (conn.connection as unknown as { serverProperties?: { version?: string } }).serverProperties;
        return props?.version ?? 'unknown';
      } finally {
        await conn.close();
      }
    },
    { timeoutMs: 60_000, intervalMs: 250, ...(signal ? { signal } : {}), hint: () => `log: ${tail(logFile)}` },
  );
  return started({ process: proc, url, port: ports.port, distPort: ports.distPort, epmdPort: ports.epmdPort, nodeName, version }, 8000);
}
