/**
 * Facts about the host the local provider needs: which system user a server must run as and
 * where Debian puts the binaries. Postgres and PgBouncer refuse to run as root and RabbitMQ wants
 * its own user, so when brink runs as root they run as their packages' users.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, chownSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { TOOLS_BIN } from '../core/index.ts';

export interface RunAs {
  uid: number;
  gid: number;
  user: string;
}

export function runAsFor(user: string): RunAs | undefined {
  if (process.getuid?.() !== 0) return undefined;
  try {
    const uid = Number(execFileSync('id', ['-u', user], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', user], { encoding: 'utf8' }).trim());
    return { uid, gid, user };
  } catch {
    return undefined;
  }
}

/** chown -R, so a server running as its own user can write its data directory. */
export function chownTree(path: string, who: RunAs | undefined): void {
  if (!who) return;
  chownSync(path, who.uid, who.gid);
  if (statSync(path).isDirectory()) for (const e of readdirSync(path)) chownTree(join(path, e), who);
}

function pgBinDir(): string {
  const base = '/usr/lib/postgresql';
  for (const v of ['15', '16', '17']) if (existsSync(join(base, v, 'bin', 'postgres'))) return join(base, v, 'bin');
  return join(base, '15', 'bin');
}

export const BINARIES = {
  postgres: join(pgBinDir(), 'postgres'),
  initdb: join(pgBinDir(), 'initdb'),
  pgbouncer: '/usr/sbin/pgbouncer',
  redisServer: '/usr/bin/redis-server',
  rabbitmqServer: '/usr/lib/rabbitmq/bin/rabbitmq-server',
  rabbitmqctl: '/usr/lib/rabbitmq/bin/rabbitmqctl',
  toxiproxyServer: join(TOOLS_BIN, 'toxiproxy-server'),
} as const;

export type BinaryName = keyof typeof BINARIES;
