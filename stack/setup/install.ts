/**
 * Installs what is missing, idempotently: one `apt-get install` for every missing Debian package
 * (after `apt-get update` when the package lists are empty or the install fails for want of them),
 * and `go install` of each missing Go tool into a temporary GOBIN, renamed into .tools/bin.
 * When everything is present it only checks files, well under a second.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { BrinkError, TOOLS_BIN, TOOLS_DIR } from '../../core/index.ts';
import { REQUIREMENTS, statusOf, type AptRequirement, type GoRequirement, type RequirementStatus } from './requirements.ts';

export type SetupEvent = { type: 'check'; status: RequirementStatus } | { type: 'run'; command: string } | { type: 'output'; line: string } | { type: 'done'; ms: number };

function runCommand(cmd: string, args: string[], env: NodeJS.ProcessEnv, onLine: (l: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let last = '';
    const forward = (b: Buffer) => {
      for (const l of b.toString().split('\n')) if (l.trim()) {
        last = l;
        onLine(l);
      }
    };
    child.stdout.on('data', forward);
    child.stderr.on('data', forward);
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')} exited ${code}: ${last}`))));
  });
}

export const hasApt = () => existsSync('/usr/bin/apt-get') && existsSync('/usr/bin/dpkg-query');

function aptListsEmpty(): boolean {
  const dir = '/var/lib/apt/lists';
  return !existsSync(dir) || !readdirSync(dir).some((f) => f.endsWith('_Packages'));
}

async function installApt(missing: AptRequirement[], emit: (e: SetupEvent) => void): Promise<void> {
  if (!hasApt()) {
    throw new BrinkError('MISSING_DEPENDENCY', `missing: ${missing.map((m) => m.name).join(', ')}, and this machine has no apt-get`, {
      suggestion: `install ${missing.map((m) => m.elsewhere).join('; ')}`,
    });
  }
  if (process.getuid?.() !== 0) {
    throw new BrinkError('MISSING_DEPENDENCY', `missing: ${missing.map((m) => m.name).join(', ')}; installing them needs root`, {
      suggestion: `run: sudo apt-get install -y ${missing.flatMap((m) => m.packages).join(' ')}`,
    });
  }
  const env = { DEBIAN_FRONTEND: 'noninteractive' };
  const line = (l: string) => emit({ type: 'output', line: l });
  const install = () => runCommand('apt-get', ['install', '-y', '-q', ...missing.flatMap((m) => m.packages)], env, line);
  if (aptListsEmpty()) {
    emit({ type: 'run', command: 'apt-get update' });
    await runCommand('apt-get', ['update', '-q'], env, line);
  }
  emit({ type: 'run', command: `apt-get install -y ${missing.flatMap((m) => m.packages).join(' ')}` });
  try {
    await install();
  } catch {
    // Stale lists give 404s for superseded package versions: refresh once and retry.
    emit({ type: 'run', command: 'apt-get update (retry)' });
    await runCommand('apt-get', ['update', '-q'], env, line);
    await install();
  }
}

async function installGo(r: GoRequirement, emit: (e: SetupEvent) => void): Promise<void> {
  mkdirSync(TOOLS_BIN, { recursive: true });
  const gobin = mkdtempSync(join(TOOLS_DIR, 'gobin-'));
  try {
    emit({ type: 'run', command: `go install ${r.module}@${r.version}` });
    await runCommand('go', ['install', '-trimpath', `${r.module}@${r.version}`], { GOBIN: gobin, CGO_ENABLED: '0', GOFLAGS: '-mod=mod' }, (l) => emit({ type: 'output', line: l })).catch((e: Error) => {
      throw new BrinkError('MISSING_DEPENDENCY', `building ${r.name} ${r.version} failed: ${e.message}`, {
        suggestion: e.message.includes('ENOENT') ? 'install Go 1.24 or newer (https://go.dev/doc/install) and run "brink setup" again' : 'check that the Go module proxy is reachable',
      });
    });
    renameSync(join(gobin, r.builtName), r.target);
    writeFileSync(`${r.target}.version`, `${r.version}\n`);
  } finally {
    rmSync(gobin, { recursive: true, force: true });
  }
}

export interface SetupResult {
  statuses: RequirementStatus[];
  installed: string[];
}

export async function setup(opts: { checkOnly: boolean; includeOptional?: boolean }, emit: (e: SetupEvent) => void = () => undefined): Promise<SetupResult> {
  const t0 = Date.now();
  const before = REQUIREMENTS.map((r) => ({ r, s: statusOf(r) }));
  const missing = before.filter(({ s }) => !s.present && (opts.includeOptional !== false || !s.optional));
  const installed: string[] = [];
  if (!opts.checkOnly && missing.length > 0) {
    const apt = missing.filter(({ r }) => r.kind === 'apt').map(({ r }) => r as AptRequirement);
    const go = missing.filter(({ r }) => r.kind === 'go').map(({ r }) => r as GoRequirement);
    // apt and the Go builds do not share anything, so they run side by side.
    await Promise.all([apt.length > 0 ? installApt(apt, emit) : Promise.resolve(), ...go.map((r) => installGo(r, emit))]);
    installed.push(...missing.map(({ s }) => s.name));
  }
  const statuses = REQUIREMENTS.map(statusOf);
  for (const s of statuses) emit({ type: 'check', status: s });
  emit({ type: 'done', ms: Date.now() - t0 });
  return { statuses, installed };
}
