/**
 * vegeta (github.com/tsenart/vegeta, MIT), an open-model Go load generator, used by benchmarks only
 * as an independent cross-check of brink's engine. Built on first use with `go install` into the
 * git-ignored .tools/bin, like toxiproxy-server; never part of `brink setup` or the tests.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TOOLS_BIN, TOOLS_DIR } from '../../core/index.ts';

export const VEGETA_MODULE = 'github.com/tsenart/vegeta/v12';
export const VEGETA_VERSION = 'v12.13.0';
export const VEGETA_BIN = join(TOOLS_BIN, 'vegeta');

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (b: Buffer) => (err = (err + b.toString()).slice(-2000)));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')} exited ${code}: ${err.trim().split('\n').slice(-3).join(' | ')}`))));
  });
}

/** The vegeta binary, built once (about a minute) when missing or of another version. */
export async function ensureVegeta(): Promise<string> {
  const marker = `${VEGETA_BIN}.version`;
  if (existsSync(VEGETA_BIN) && existsSync(marker) && readFileSync(marker, 'utf8').trim() === VEGETA_VERSION) return VEGETA_BIN;
  mkdirSync(TOOLS_BIN, { recursive: true });
  const gobin = mkdtempSync(join(TOOLS_DIR, 'gobin-'));
  try {
    process.stderr.write(`bench: go install ${VEGETA_MODULE}@${VEGETA_VERSION} (benchmarks only)\n`);
    await run('go', ['install', '-trimpath', `${VEGETA_MODULE}@${VEGETA_VERSION}`], { GOBIN: gobin, CGO_ENABLED: '0', GOFLAGS: '-mod=mod' });
    renameSync(join(gobin, 'vegeta'), VEGETA_BIN);
    writeFileSync(marker, `${VEGETA_VERSION}\n`);
    return VEGETA_BIN;
  } finally {
    rmSync(gobin, { recursive: true, force: true });
  }
}

export interface VegetaAttack {
  /** Absolute http://127.0.0.1… URL per target line, with optional headers. */
  targets: Array<{ method: string; url: string; headers?: Record<string, string> }>;
  /** Requests per second; 0 = as fast as maxWorkers allow (vegeta's closed, max-throughput mode). */
  ratePerS: number;
  durationS: number;
  /** vegeta's -max-workers; it is open-model up to this many in flight. */
  maxWorkers?: number;
  /** vegeta's -workers (initial workers). */
  workers?: number;
  timeoutS?: number;
  /** Extra environment, e.g. { GOMAXPROCS: '1' } for one core. */
  env?: NodeJS.ProcessEnv;
}

export interface VegetaReport {
  requests: number;
  ratePerS: number;
  throughputPerS: number;
  successRatio: number;
  latencyMs: { p50: number; p90: number; p95: number; p99: number; max: number; mean: number };
  statusCodes: Record<string, number>;
  errors: string[];
  /** Epoch ms of the first request sent. */
  earliestMs: number;
  /** CPU seconds (user + system) the attack took, when /usr/bin/time is there to tell. */
  cpuS?: number;
}

/** Runs `vegeta attack | vegeta report -type=json` and returns the report with latencies in ms. */
export async function vegetaAttack(bin: string, a: VegetaAttack, workDir: string): Promise<VegetaReport> {
  for (const t of a.targets) if (!/^http:\/\/127\.\d+\.\d+\.\d+[:/]/.test(t.url)) throw new Error(`vegeta target ${t.url} is not on loopback`);
  const targetsFile = join(workDir, 'vegeta-targets.txt');
  const resultsFile = join(workDir, 'vegeta-results.bin');
  const reportFile = join(workDir, 'vegeta-report.json');
  writeFileSync(targetsFile, a.targets.map((t) => [`${t.method} ${t.url}`, ...Object.entries(t.headers ?? {}).map(([k, v]) => `${k}: ${v}`)].join('\n')).join('\n\n') + '\n');
  if (a.ratePerS === 0 && !a.maxWorkers) throw new Error('vegeta at rate 0 (max throughput) needs maxWorkers');
  const attack = ['attack', `-targets=${targetsFile}`, a.ratePerS === 0 ? '-rate=0' : `-rate=${a.ratePerS}/s`, `-duration=${a.durationS}s`, `-timeout=${a.timeoutS ?? 30}s`, `-output=${resultsFile}`];
  if (a.maxWorkers) attack.push(`-max-workers=${a.maxWorkers}`);
  if (a.workers) attack.push(`-workers=${a.workers}`);
  // GNU time reports the attack's CPU (vegeta is another process: process.cpuUsage cannot see it).
  const timeFile = join(workDir, 'vegeta-time.txt');
  const timed = existsSync('/usr/bin/time');
  if (timed) await run('/usr/bin/time', ['-f', '%U %S', '-o', timeFile, bin, ...attack], a.env ?? {});
  else await run(bin, attack, a.env ?? {});
  const cpuS = timed ? readFileSync(timeFile, 'utf8').trim().split('\n').pop()!.split(' ').map(Number).reduce((x, y) => x + y, 0) : undefined;
  await run(bin, ['report', '-type=json', `-output=${reportFile}`, resultsFile], {});
  const r = JSON.parse(readFileSync(reportFile, 'utf8')) as {
    requests: number; rate: number; throughput: number; success: number; earliest: string;
    latencies: { '50th': number; '90th': number; '95th': number; '99th': number; max: number; mean: number };
    status_codes: Record<string, number>; errors: string[] | null;
  };
  const ms = (ns: number) => ns / 1e6;
  return {
    requests: r.requests,
    ratePerS: r.rate,
    throughputPerS: r.throughput,
    successRatio: r.success,
    latencyMs: { p50: ms(r.latencies['50th']), p90: ms(r.latencies['90th']), p95: ms(r.latencies['95th']), p99: ms(r.latencies['99th']), max: ms(r.latencies.max), mean: ms(r.latencies.mean) },
    statusCodes: r.status_codes,
    errors: r.errors ?? [],
    earliestMs: Date.parse(r.earliest),
    ...(cpuS !== undefined && Number.isFinite(cpuS) ? { cpuS } : {}),
  };
}
