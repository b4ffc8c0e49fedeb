/**
 * Runs a scenario's script with the user's own k6 (BRINK_K6, or k6 on PATH; brink never installs it), unchanged: the run directory
 * gets k6's summary JSON (handleSummary) and its raw metrics (--out json, gzipped afterwards). The
 * raw file is read as k6 writes it, for live progress; an abort sends k6 SIGINT (it still writes
 * its summary), then SIGKILL if it lingers.
 */
import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { setTimeout as sleep } from 'node:timers/promises';
import { BrinkError, PROJECT_ROOT, RUN_FILES } from '../core/index.ts';
import { k6Binary, k6Version } from './k6-binary.ts';
import type { Recorder } from './engine/recorder.ts';
import { K6RawReader } from './k6-raw.ts';
import type { K6Summary } from './k6-summary.ts';

export { k6Binary } from './k6-binary.ts';

/** The version line of the user's k6, for the run's metadata. */
export function k6VersionLine(bin = k6Binary()): string {
  return k6Version(bin) ?? 'k6 (version unknown)';
}

export interface K6RunOptions {
  script: string;
  runDir: string;
  dataFile: string;
  profile: string;
  timeScale: number;
  thresholdsFile?: string;
  recorder: Recorder;
  signal?: AbortSignal;
  onPoll?: (reader: K6RawReader) => void;
}

export interface K6RunResult {
  exitCode: number;
  summary: K6Summary | undefined;
  aborted: boolean;
  stderrTail: string;
  t0Ms: number | undefined;
}

export async function runK6(o: K6RunOptions): Promise<K6RunResult> {
  const bin = k6Binary();
  const rawFile = join(o.runDir, RUN_FILES.raw, 'k6-metrics.json');
  const summaryFile = join(o.runDir, RUN_FILES.k6Summary);
  const args = [
    'run', '--no-color', '--quiet', '--no-usage-report',
    '--out', `json=${rawFile}`,
    '-e', `BRINK_DATA=${o.dataFile}`,
    '-e', `PROFILE=${o.profile}`,
    '-e', `TIME_SCALE=${o.timeScale}`,
    '-e', `BRINK_SUMMARY=${summaryFile}`,
    ...(o.thresholdsFile ? ['-e', `BRINK_THRESHOLDS=${o.thresholdsFile}`] : []),
    join(PROJECT_ROOT, 'scenarios', 'k6', o.script),
  ];
  const child = spawn(bin, args, { cwd: o.runDir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, K6_NO_USAGE_REPORT: 'true' } });
  let stderr = '';
  const keepTail = (c: Buffer) => (stderr = (stderr + c.toString()).slice(-8000));
  child.stderr.on('data', keepTail);
  child.stdout.on('data', keepTail);
  let aborted = false;
  const onAbort = () => {
    aborted = true;
    child.kill('SIGINT');
    setTimeout(() => child.exitCode === null && child.kill('SIGKILL'), 15_000).unref();
  };
  o.signal?.addEventListener('abort', onAbort, { once: true });
  const exited = new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, sig) => resolve(code ?? (sig ? 105 : 1)));
  });
  const reader = new K6RawReader(rawFile, o.recorder);
  let done = false;
  const polling = (async () => {
    while (!done) {
      await reader.poll();
      o.onPoll?.(reader);
      await sleep(1000);
    }
  })();
  let exitCode: number;
  try {
    exitCode = await exited;
  } finally {
    done = true;
    o.signal?.removeEventListener('abort', onAbort);
  }
  await polling;
  await reader.poll();
  if (existsSync(rawFile)) {
    await pipeline(createReadStream(rawFile), createGzip(), createWriteStream(`${rawFile}.gz`));
    rmSync(rawFile);
  }
  let summary: K6Summary | undefined;
  if (existsSync(summaryFile)) summary = JSON.parse(readFileSync(summaryFile, 'utf8')) as K6Summary;
  return { exitCode, summary, aborted, stderrTail: stderr, t0Ms: reader.t0Ms };
}
