/**
 * What brink needs on a machine, how to tell it is there (and which version), and how to install
 * it. Debian packages come from apt; toxiproxy-server (MIT) is built from its Go module at a pinned
 * version into the git-ignored .tools/bin (never committed). k6 is not installed by brink (its module
 * is AGPL and on this project's not-to-use list): it is reported as an optional engine the user may
 * bring, found on PATH or through BRINK_K6.
 */
import { existsSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { BINARIES } from '../system.ts';

export interface AptRequirement {
  kind: 'apt';
  name: string;
  /** Debian package names that provide it. */
  packages: string[];
  /** A file whose presence proves it is installed. */
  probe: string;
  version: () => string | undefined;
  /** Needed by the stack (required) or only by some tests (optional, e.g. chromium for the report test). */
  optional?: boolean;
  /** What to install on a machine without apt. */
  elsewhere: string;
}

export interface GoRequirement {
  kind: 'go';
  name: string;
  module: string;
  version: string;
  /** The binary `go install` produces, and the name brink gives it in .tools/bin. */
  builtName: string;
  target: string;
  installedVersion: () => string | undefined;
}

export type Requirement = AptRequirement | GoRequirement;

function sh(cmd: string, args: string[]): string | undefined {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 10_000 }).trim();
  } catch {
    return undefined;
  }
}

const dpkgVersion = (pkg: string) => () => sh('dpkg-query', ['-W', '-f', '${Version}', pkg]) || undefined;

export const TOXIPROXY_VERSION = 'v2.5.0';

export const REQUIREMENTS: Requirement[] = [
  { kind: 'apt', name: 'postgresql 15', packages: ['postgresql-15', 'postgresql-client-15'], probe: BINARIES.postgres, version: dpkgVersion('postgresql-15'), elsewhere: 'PostgreSQL 15 server (e.g. brew install postgresql@15)' },
  { kind: 'apt', name: 'hypopg', packages: ['postgresql-15-hypopg'], probe: '/usr/share/postgresql/15/extension/hypopg.control', version: dpkgVersion('postgresql-15-hypopg'), elsewhere: 'HypoPG for Postgres 15 (e.g. from source: github.com/HypoPG/hypopg)' },
  { kind: 'apt', name: 'pgbouncer', packages: ['pgbouncer'], probe: BINARIES.pgbouncer, version: dpkgVersion('pgbouncer'), elsewhere: 'PgBouncer (e.g. brew install pgbouncer)' },
  { kind: 'apt', name: 'redis', packages: ['redis-server'], probe: BINARIES.redisServer, version: dpkgVersion('redis-server'), elsewhere: 'Redis 7 (e.g. brew install redis)' },
  { kind: 'apt', name: 'rabbitmq', packages: ['rabbitmq-server'], probe: BINARIES.rabbitmqServer, version: dpkgVersion('rabbitmq-server'), elsewhere: 'RabbitMQ 3.10+ (e.g. brew install rabbitmq)' },
  { kind: 'apt', name: 'chromium', packages: ['chromium'], probe: '/usr/bin/chromium', version: dpkgVersion('chromium'), optional: true, elsewhere: 'Chromium or Chrome (only for the report browser test)' },
  {
    // The module's major version is 2, so its path ends in /v2; `go install` names the binary "server".
    kind: 'go', name: 'toxiproxy-server', module: 'github.com/Shopify/toxiproxy/v2/cmd/server', version: TOXIPROXY_VERSION, builtName: 'server', target: BINARIES.toxiproxyServer,
    installedVersion: () => (existsSync(BINARIES.toxiproxyServer) && existsSync(`${BINARIES.toxiproxyServer}.version`) ? readFileSync(`${BINARIES.toxiproxyServer}.version`, 'utf8').trim() : undefined),
  },
];

export interface RequirementStatus {
  name: string;
  kind: Requirement['kind'];
  present: boolean;
  version?: string;
  wanted?: string;
  optional: boolean;
  install: string;
}

export function installCommand(r: Requirement): string {
  return r.kind === 'apt' ? `apt-get install -y ${r.packages.join(' ')}` : `GOBIN=.tools/bin go install ${r.module}@${r.version}`;
}

export function statusOf(r: Requirement): RequirementStatus {
  if (r.kind === 'apt') {
    const present = existsSync(r.probe);
    const version = present ? r.version() : undefined;
    return { name: r.name, kind: r.kind, present, optional: Boolean(r.optional), install: installCommand(r), ...(version ? { version } : {}) };
  }
  const version = r.installedVersion();
  return { name: r.name, kind: r.kind, present: version === r.version, wanted: r.version, optional: false, install: installCommand(r), ...(version ? { version } : {}) };
}
