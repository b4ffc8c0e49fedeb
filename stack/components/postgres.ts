/**
 * PostgreSQL 15 as a child process: a fresh cluster (initdb, trust auth on loopback only) with its
 * data in the stack directory, configured like a tuned server for a 2-core / 24 GB machine, with
 * pg_stat_statements preloaded so analyzers can read query statistics.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdirSync, appendFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { BINARIES, chownTree, runAsFor } from '../system.ts';
import { spawnDetached, tail } from '../processes.ts';
import { waitFor } from '../wait.ts';
import { started, type StartedComponent } from './started.ts';

const run = promisify(execFile);

export const TUNED_SETTINGS: Record<string, string> = {
  max_connections: '200',
  shared_buffers: "'1GB'",
  effective_cache_size: "'8GB'",
  work_mem: "'16MB'",
  maintenance_work_mem: "'512MB'",
  random_page_cost: '1.1',
  effective_io_concurrency: '200',
  max_wal_size: "'4GB'",
  checkpoint_timeout: "'15min'",
  wal_level: 'minimal',
  max_wal_senders: '0',
  // JIT compiles plans of short OLTP queries for nothing and adds noise to their timings.
  jit: 'off',
  shared_preload_libraries: "'pg_stat_statements'",
  'pg_stat_statements.track': 'all',
  track_io_timing: 'on',
  log_min_messages: 'warning',
};

export type StartedPostgres = StartedComponent;

export async function startPostgres(dir: string, port: number, signal?: AbortSignal): Promise<StartedPostgres> {
  const who = runAsFor('postgres');
  const data = join(dir, 'data');
  const sock = join(dir, 'run');
  mkdirSync(sock, { recursive: true });
  chownTree(dir, who);
  await run(BINARIES.initdb, ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale=C'], {
    ...(who ? { uid: who.uid, gid: who.gid } : {}),
    cwd: dir,
  });
  const conf = Object.entries({
    ...TUNED_SETTINGS,
    listen_addresses: "'127.0.0.1'",
    port: String(port),
    unix_socket_directories: `'${sock}'`,
  })
    .map(([k, v]) => `${k} = ${v}`)
    .join('\n');
  appendFileSync(join(data, 'postgresql.conf'), `\n# brink\n${conf}\n`);
  const logFile = join(dir, 'postgres.log');
  const proc = spawnDetached('postgres', BINARIES.postgres, ['-D', data], { logFile, cwd: dir, ...(who ? { uid: who.uid, gid: who.gid } : {}) });
  chownTree(logFile, who);
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const version = await waitFor(
    `postgres on 127.0.0.1:${port}`,
    async () => {
      const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
      await c.connect();
      try {
        return (await c.query<{ v: string }>("select current_setting('server_version') as v")).rows[0]?.v;
      } finally {
        await c.end();
      }
    },
    { timeoutMs: 30_000, ...(signal ? { signal } : {}), hint: () => `log: ${tail(logFile)}` },
  );
  return started({ process: proc, url, port, version });
}

/** Creates the platform database with the extensions brink needs. */
export async function preparePlatformDatabase(adminUrl: string, database: string, schemaSql: string): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${database}`);
  } finally {
    await admin.end();
  }
  const db = new pg.Client({ connectionString: adminUrl.replace(/\/[^/]*$/, `/${database}`) });
  await db.connect();
  try {
    await db.query('CREATE EXTENSION IF NOT EXISTS hypopg');
    await db.query(schemaSql);
  } finally {
    await db.end();
  }
}
