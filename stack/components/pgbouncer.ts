/**
 * PgBouncer in transaction mode in front of Postgres, with the NewFeed assessment's settings
 * (max_client_conn 1000, default_pool_size 25, max_db_connections 100). Any database name is
 * forwarded, so tests can create their own databases and still go through PgBouncer.
 */
import { writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import pg from 'pg';
import { BINARIES, chownTree, runAsFor } from '../system.ts';
import { spawnDetached, tail } from '../processes.ts';
import { waitFor } from '../wait.ts';
import { started, type StartedComponent } from './started.ts';

export const PGBOUNCER_SETTINGS = {
  pool_mode: 'transaction',
  max_client_conn: 1000,
  default_pool_size: 25,
  max_db_connections: 100,
  reserve_pool_size: 0,
  server_idle_timeout: 60,
  query_wait_timeout: 30,
} as const;

export function pgbouncerIni(opts: { port: number; postgresPort: number; authFile: string }): string {
  const settings = Object.entries(PGBOUNCER_SETTINGS).map(([k, v]) => `${k} = ${v}`).join('\n');
  return `[databases]
* = host=127.0.0.1 port=${opts.postgresPort}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = ${opts.port}
unix_socket_dir =
auth_type = trust
auth_file = ${opts.authFile}
admin_users = postgres
stats_users = postgres
; clients such as node-postgres send these at startup; PgBouncer would refuse them otherwise
ignore_startup_parameters = extra_float_digits,options,statement_timeout
${settings}
`;
}

export type StartedPgBouncer = StartedComponent;

export async function startPgBouncer(dir: string, port: number, postgresPort: number, database: string, signal?: AbortSignal): Promise<StartedPgBouncer> {
  const who = runAsFor('postgres');
  const authFile = join(dir, 'userlist.txt');
  const ini = join(dir, 'pgbouncer.ini');
  writeFileSync(authFile, '"postgres" ""\n');
  writeFileSync(ini, pgbouncerIni({ port, postgresPort, authFile }));
  chownTree(dir, who);
  const logFile = join(dir, 'pgbouncer.log');
  const proc = spawnDetached('pgbouncer', BINARIES.pgbouncer, [ini], { logFile, cwd: dir, ...(who ? { uid: who.uid, gid: who.gid } : {}) });
  const url = `postgres://postgres@127.0.0.1:${port}/${database}`;
  await waitFor(
    `pgbouncer on 127.0.0.1:${port}`,
    async () => {
      const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
      await c.connect();
      try {
        await c.query('select 1');
        return true;
      } finally {
        await c.end();
      }
    },
    { timeoutMs: 20_000, ...(signal ? { signal } : {}), hint: () => `log: ${tail(logFile)}` },
  );
  const version = /PgBouncer (\S+)/.exec(execFileSync(BINARIES.pgbouncer, ['--version'], { encoding: 'utf8' }))?.[1] ?? 'unknown';
  return started({ process: proc, url, port, version });
}
