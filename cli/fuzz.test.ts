/**
 * Every command's flags and arguments fuzzed (fast-check): wrong types, empty, huge, control
 * characters, unknown names, paths that are files, directories or missing. Each bad input must
 * end with ONE line on stderr, "brink: …", that names the flag or argument, exit 104, nothing on
 * stdout and never a stack trace. The CLI runs in-process (runCli) against an empty state
 * directory, so no stack exists and nothing can start; every generated value is invalid by
 * construction, so a command that accepted one would fail here on its message (it would say
 * "no stack is running" instead of naming the flag), not start work.
 * A handful of cases also run the real `brink` binary, to show main.ts gives the same answers.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';

// The state directory is read when core/paths.ts loads: set it before the CLI is imported.
const tmp = mkdtempSync(join(tmpdir(), 'brink-fuzz-'));
const stateDir = join(tmp, 'state');
mkdirSync(stateDir);
process.env.BRINK_STATE_DIR = stateDir;
process.env.BRINK_STACK_STATE = join(stateDir, 'stack.json');
const { buildProgram, runCli } = await import('./run-cli.ts');
const { PROJECT_ROOT } = await import('../core/index.ts');

const aFile = join(tmp, 'a-file.txt');
writeFileSync(aFile, 'not a directory\n');
const aDir = join(tmp, 'a-dir');
mkdirSync(aDir);
const missing = join(tmp, 'missing', 'nothing-here');

let inputs = 0;
afterAll(() => {
  process.stderr.write(`[cli fuzz] ${inputs} inputs tried\n`);
  rmSync(tmp, { recursive: true, force: true });
});

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  inputs++;
  const code = await runCli(args, { stdout: (s) => (out += s), stderr: (s) => (err += s) });
  return { code, out, err };
}

/** The contract for bad input. `names` is what the line must mention (the flag, without dashes). */
function expectRefused(r: { code: number; out: string; err: string }, names: string, args: string[]): void {
  const shown = JSON.stringify(args).slice(0, 300);
  expect(r.code, `exit code for ${shown}: ${r.err.slice(0, 300)}`).toBe(104);
  expect(r.out, `stdout for ${shown}`).toBe('');
  expect(r.err.startsWith('brink: '), `stderr for ${shown}: ${r.err.slice(0, 300)}`).toBe(true);
  expect(r.err.endsWith('\n')).toBe(true);
  expect(r.err.slice(0, -1), `one line for ${shown}`).not.toContain('\n');
  expect(r.err, `no stack trace for ${shown}`).not.toMatch(/\n\s+at |\bat .+\.(ts|js):\d+:\d+/);
  expect(r.err.toLowerCase(), `names "${names}" for ${shown}: ${r.err.slice(0, 300)}`).toContain(names.toLowerCase());
}

// Values: empty, blank, huge, control characters, unicode, look-alikes of numbers and paths.
const nasty = fc.constantFrom('', ' ', '\n', 'a\nb', '\r\n', '\t', '\u001b[31mred', '\u0000', 'NaN', 'Infinity', '-Infinity', '1e400', 'null', 'undefined', '[]', '{}', '"', "'", '%s', '../../etc/passwd', 'ünïcødé', '😀', 'DROP TABLE users;--');
const junk = fc.oneof(
  { weight: 3, arbitrary: nasty },
  { weight: 3, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }) },
  { weight: 1, arbitrary: fc.string({ minLength: 5_000, maxLength: 20_000 }) },
);
const notIn = (valid: readonly string[]) => junk.filter((v) => !valid.includes(v));
const notANumber = junk.filter((v) => Number.isNaN(Number(v)) || v.trim() === '');
const numberOr = (extra: string[]) => fc.oneof(notANumber, fc.constantFrom(...extra));

interface Case {
  title: string;
  /** The arguments for one fuzzed value. */
  args: (v: string) => string[];
  value: fc.Arbitrary<string>;
  /** What the one line must name. */
  names: string;
}

const flag = (name: string) => (v: string) => `--${name}=${v}`;

const CASES: Case[] = [
  // seed
  { title: 'seed --scale', args: (v) => ['seed', flag('scale')(v)], value: notIn(['small', 'medium', 'large']), names: '--scale' },
  { title: 'seed --seed', args: (v) => ['seed', '--scale=small', flag('seed')(v)], value: numberOr(['-1', '1.5', '4294967296', '99999999999', '0x10', ' 7']), names: '--seed' },
  { title: 'seed --database-url', args: (v) => ['seed', '--scale=small', flag('database-url')(v)], value: fc.oneof(notANumber.filter((v) => !/^postgres(ql)?:/i.test(v)), fc.constantFrom('http://127.0.0.1:5432/x', 'mysql://127.0.0.1/x', 'ftp://x')), names: '--database-url' },
  // run
  { title: 'run <scenario>', args: (v) => ['run', '--', v], value: notIn(['feed', 'chat-burst', 'search-spike']), names: 'scenario' },
  { title: 'run --engine', args: (v) => ['run', 'feed', flag('engine')(v)], value: notIn(['k6', 'node']), names: 'engine' },
  { title: 'run --profile', args: (v) => ['run', 'feed', flag('profile')(v)], value: notIn(['smoke', 'load', 'stress', 'spike', 'soak']), names: 'profile' },
  { title: 'run --time-scale', args: (v) => ['run', 'feed', flag('time-scale')(v)], value: numberOr(['0', '-1', '101', '1e400', '-0']), names: '--time-scale' },
  { title: 'run --users', args: (v) => ['run', 'feed', flag('users')(v)], value: numberOr(['0', '-3', '1.5', '1e400']), names: '--users' },
  { title: 'run --thresholds (missing, a directory)', args: (v) => ['run', 'feed', flag('thresholds')(v)], value: fc.constantFrom(missing, aDir, tmp), names: 'thresholds' },
  { title: 'run --out (a file)', args: (v) => ['run', 'feed', flag('out')(v)], value: fc.constant(aFile), names: '--out' },
  { title: 'run --junit (a directory)', args: (v) => ['run', 'feed', flag('junit')(v)], value: fc.constantFrom(aDir, tmp), names: '--junit' },
  { title: 'run --target', args: (v) => ['run', 'feed', flag('target')(v)], value: junk.filter((v) => !URL.canParse(v)), names: 'target' },
  // assess
  { title: 'assess --profile', args: (v) => ['assess', flag('profile')(v)], value: notIn(['smoke', 'full']), names: 'profile' },
  { title: 'assess --scale', args: (v) => ['assess', flag('scale')(v)], value: notIn(['small', 'medium']), names: 'scale' },
  { title: 'assess --engine', args: (v) => ['assess', flag('engine')(v)], value: notIn(['k6', 'node']), names: 'engine' },
  { title: 'assess --seed', args: (v) => ['assess', flag('seed')(v)], value: numberOr(['', '-1', '1.5', '4294967296', '0x10', ' 7', '1e3']), names: '--seed' },
  { title: 'assess --out (a file)', args: (v) => ['assess', flag('out')(v)], value: fc.constant(aFile), names: '--out' },
  // report
  { title: 'report <dir> (missing, a file, an empty directory)', args: (v) => ['report', v, `--out=${join(tmp, 'report-out')}`], value: fc.constantFrom(missing, aFile, aDir), names: 'report input' },
  { title: 'report --tolerance-pct', args: (v) => ['report', aDir, flag('tolerance-pct')(v)], value: numberOr(['-1', '1001', '1e400']), names: '--tolerance-pct' },
  { title: 'report --min-delta-ms', args: (v) => ['report', aDir, flag('min-delta-ms')(v)], value: numberOr(['-1', '-1e400']), names: '--min-delta-ms' },
  { title: 'report --error-tolerance-pct', args: (v) => ['report', aDir, flag('error-tolerance-pct')(v)], value: numberOr(['-1', '101', '1e400']), names: '--error-tolerance-pct' },
  { title: 'report --compare --metrics', args: (v) => ['report', '--compare', aDir, aDir, flag('metrics')(v)], value: junk.filter((v) => !/^[\s,]*(p99|p50|error_rate|throughput|rps)?([\s,]+(p99|p50|error_rate|throughput|rps))*[\s,]*$/i.test(v) || v.split(',').every((x) => x.trim() === '')), names: '--metrics' },
  // stack up (every value is refused before anything is printed or started)
  { title: 'stack up --provider', args: (v) => ['stack', 'up', flag('provider')(v)], value: notIn(['local', 'docker', 'external']), names: 'provider' },
  { title: 'stack up --variant', args: (v) => ['stack', 'up', flag('variant')(v)], value: notIn(['baseline', 'optimized']), names: 'variant' },
  { title: 'stack up --switch', args: (v) => ['stack', 'up', flag('switch')(v)], value: junk.filter((v) => !/^[a-z-]+=(on|off)$/.test(v)), names: 'switch' },
  { title: 'stack up --layout', args: (v) => ['stack', 'up', flag('layout')(v)], value: notIn(['one-process', 'split']), names: '--layout' },
  { title: 'stack up --chat-instances', args: (v) => ['stack', 'up', flag('chat-instances')(v)], value: numberOr(['0', '9', '-1', '1.5', '1e400']), names: '--chat-instances' },
  ...['postgres', 'pgbouncer', 'redis', 'rabbitmq', 'toxiproxy'].map((c): Case => ({ title: `stack up --${c}-port`, args: (v) => ['stack', 'up', flag(`${c}-port`)(v)], value: numberOr(['0', '-1', '65536', '1.5', '1e400']), names: `--${c}-port` })),
  // chaos
  { title: 'chaos run <experiment>', args: (v) => ['chaos', 'run', '--', v], value: notIn(['db-latency', 'db-down', 'redis-down', 'rabbitmq-down', 'service-timeout', 'slow-network', 'reset-peer', 'pool-exhaustion']), names: 'experiment' },
  { title: 'chaos run --profile', args: (v) => ['chaos', 'run', 'db-down', flag('profile')(v)], value: notIn(['smoke', 'load']), names: 'profile' },
  { title: 'chaos run --scenario', args: (v) => ['chaos', 'run', 'db-down', flag('scenario')(v)], value: notIn(['feed', 'chat-burst', 'search-spike']), names: 'scenario' },
  { title: 'chaos run --scenario-profile', args: (v) => ['chaos', 'run', 'db-down', '--scenario=feed', flag('scenario-profile')(v)], value: notIn(['smoke', 'soak']), names: 'scenario profile' },
  { title: 'chaos run --toxiproxy', args: (v) => ['chaos', 'run', 'db-down', flag('toxiproxy')(v)], value: junk.filter((v) => !URL.canParse(v)), names: '--toxiproxy' },
  { title: 'chaos run --out (a file)', args: (v) => ['chaos', 'run', 'db-down', flag('out')(v)], value: fc.constant(aFile), names: '--out' },
  { title: 'chaos inject <toxic>', args: (v) => ['chaos', 'inject', 'redis', '--', v], value: notIn(['latency', 'bandwidth', 'slow_close', 'timeout', 'reset_peer', 'slicer', 'limit_data', 'down']), names: 'toxic' },
  { title: 'chaos inject latency <attribute>', args: (v) => ['chaos', 'inject', 'redis', 'latency', '--', v], value: junk.filter((v) => !/^(latencyMs|jitterMs)=\d+$/.test(v)), names: 'latency' },
  { title: 'chaos inject --stream', args: (v) => ['chaos', 'inject', 'redis', 'latency', 'latencyMs=1', flag('stream')(v)], value: notIn(['downstream', 'upstream']), names: 'stream' },
  { title: 'chaos inject --toxicity', args: (v) => ['chaos', 'inject', 'redis', 'latency', 'latencyMs=1', flag('toxicity')(v)], value: numberOr(['-0.1', '1.01', '2', '1e400']), names: 'toxicity' },
  { title: 'chaos inject --name', args: (v) => ['chaos', 'inject', 'redis', 'latency', 'latencyMs=1', flag('name')(v)], value: junk.filter((v) => !/^[A-Za-z0-9_.-]+$/.test(v)), names: '--name' },
  { title: 'chaos clear --toxiproxy (nothing listens)', args: (v) => ['chaos', 'clear', flag('toxiproxy')(v)], value: fc.constantFrom('http://127.0.0.1:9', 'http://127.0.0.1:1'), names: 'toxiproxy' },
  // k8s manifest (a remote target is its normal case: --allow-remote)
  { title: 'k8s manifest <scenario>', args: (v) => ['k8s', 'manifest', '--parallelism=2', '--', v], value: notIn(['feed', 'chat-burst', 'search-spike']), names: 'scenario' },
  { title: 'k8s manifest --parallelism', args: (v) => ['k8s', 'manifest', 'feed', flag('parallelism')(v)], value: numberOr(['0', '-1', '1001', '1.5', '1e400']), names: '--parallelism' },
  { title: 'k8s manifest --profile', args: (v) => ['k8s', 'manifest', 'feed', '--parallelism=2', flag('profile')(v)], value: notIn(['smoke', 'load', 'stress', 'spike', 'soak']), names: 'profile' },
  { title: 'k8s manifest --time-scale', args: (v) => ['k8s', 'manifest', 'feed', '--parallelism=2', '--target=http://gw.svc:8080', '--allow-remote', flag('time-scale')(v)], value: numberOr(['0', '-1', '101', '1e400']), names: '--time-scale' },
  { title: 'k8s manifest --run-id', args: (v) => ['k8s', 'manifest', 'feed', '--parallelism=2', '--target=http://gw.svc:8080', '--allow-remote', flag('run-id')(v)], value: junk.filter((v) => !/^[A-Za-z0-9._-]{1,120}$/.test(v)), names: '--run-id' },
  { title: 'k8s manifest --out (a file)', args: (v) => ['k8s', 'manifest', 'feed', '--parallelism=2', '--target=http://gw.svc:8080', '--allow-remote', flag('out')(v)], value: fc.constant(aFile), names: '--out' },
  { title: 'k8s manifest --namespace', args: (v) => ['k8s', 'manifest', 'feed', '--parallelism=2', '--target=http://gw.svc:8080', '--allow-remote', flag('namespace')(v)], value: junk.filter((v) => !(v.length <= 63 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(v))), names: '--namespace' },
  { title: 'k8s manifest --setup-data (missing, a directory, not JSON, junk)', args: (v) => ['k8s', 'manifest', 'feed', '--parallelism=2', '--target=http://gw.svc:8080', '--allow-remote', `--out=${join(tmp, 'k8s-out')}`, flag('setup-data')(v)], value: fc.oneof(fc.constantFrom(missing, aDir, aFile), junk), names: '--setup-data' },
  // merge
  { title: 'merge <inputs> (missing)', args: (v) => ['merge', v, `--out=${join(tmp, 'merged')}`], value: fc.constantFrom(missing, join(tmp, 'nope.csv')), names: 'merge input' },
  { title: 'merge --out (a file)', args: (v) => ['merge', aDir, flag('out')(v)], value: fc.constant(aFile), names: '--out' },
  // audit
  ...['sql', 'indexes', 'pools'].map((sub): Case => ({ title: `audit ${sub} --database-url`, args: (v) => ['audit', sub, flag('database-url')(v)], value: junk.filter((v) => !/^postgres(ql)?:\/\//.test(v)), names: '--database-url' })),
  { title: 'audit sql --fail-on', args: (v) => ['audit', 'sql', flag('fail-on')(v)], value: notIn(['critical', 'high']), names: '--fail-on' },
  { title: 'audit sql --timeout-ms', args: (v) => ['audit', 'sql', flag('timeout-ms')(v)], value: numberOr(['99', '-1', '600001', '1.5', '1e400']), names: '--timeout-ms' },
  { title: 'audit sql --queries (missing, a file)', args: (v) => ['audit', 'sql', flag('queries')(v)], value: fc.constantFrom(missing, aFile), names: '--queries' },
  { title: 'audit indexes --variant', args: (v) => ['audit', 'indexes', flag('variant')(v)], value: notIn(['baseline', 'optimized']), names: 'variant' },
  { title: 'audit pools --deployment (missing, a directory)', args: (v) => ['audit', 'pools', flag('deployment')(v)], value: fc.constantFrom(missing, aDir), names: '--deployment' },
  { title: 'audit pools --sample-seconds', args: (v) => ['audit', 'pools', flag('sample-seconds')(v)], value: numberOr(['-1', '3601', '1e400']), names: '--sample-seconds' },
];

// Every command of the program as it is assembled (a command added later is fuzzed too), with
// its required options given, so the unknown option is the only problem.
const REQUIRED: Record<string, string[]> = { seed: ['--scale=small'], 'k8s manifest': ['--parallelism=2'] };
const program = buildProgram();
const leaves = (c: typeof program, path: string[]): string[][] =>
  c.commands.length === 0 ? [path] : [path, ...c.commands.flatMap((sub) => leaves(sub as typeof program, [...path, sub.name()]))];
const COMMAND_PATHS = leaves(program, []).map((path) => [...path, ...(REQUIRED[path.join(' ')] ?? [])]);
const TOP_LEVEL = new Set([...program.commands.map((c) => c.name()), 'help']);
const optionName = fc.stringMatching(/^[a-z][a-z0-9-]{0,30}$/).filter((n) => !['help', 'version'].includes(n));

describe('every bad input is one line naming the flag, exit 104', () => {
  for (const c of CASES) {
    it(c.title, async () => {
      await fc.assert(
        fc.asyncProperty(c.value, async (v) => {
          const args = c.args(v);
          expectRefused(await cli(args), c.names, args);
        }),
        { numRuns: 25 },
      );
    }, 60_000);
  }

  it('an unknown option on any command names it', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...COMMAND_PATHS), optionName, async (path, name) => {
        // Skip names a command really has (commander would accept them).
        const args = [...path, `--zz-${name}`, 'x'];
        expectRefused(await cli(args), `--zz-${name}`, args);
      }),
      { numRuns: 120 },
    );
  }, 60_000);

  it('an unknown command names it', async () => {
    const known = TOP_LEVEL;
    await fc.assert(
      fc.asyncProperty(fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/).filter((n) => !known.has(n)), async (name) => {
        expectRefused(await cli([name]), name, [name]);
      }),
      { numRuns: 40 },
    );
  }, 60_000);

  it('a missing required option or argument is named', async () => {
    expectRefused(await cli(['seed']), '--scale', ['seed']);
    expectRefused(await cli(['run']), 'scenario', ['run']);
    expectRefused(await cli(['chaos', 'run']), 'experiment', ['chaos', 'run']);
    expectRefused(await cli(['chaos', 'inject', 'redis']), 'toxic', ['chaos', 'inject', 'redis']);
    expectRefused(await cli(['seed', '--scale']), '--scale', ['seed', '--scale']);
  });
});

describe('the real binary answers the same', () => {
  const brink = (...args: string[]) => spawnSync(process.execPath, [join(PROJECT_ROOT, 'bin', 'brink.js'), ...args], {
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, BRINK_STATE_DIR: stateDir, BRINK_STACK_STATE: join(stateDir, 'stack.json'), BRINK_DEBUG: '' },
  });

  it('exits 104 with one line for a bad value, an unknown option, a file for a directory, and a newline in a value', () => {
    const cases: [string[], string][] = [
      [['run', 'feed', '--profile', 'huge'], 'unknown profile "huge"'],
      [['chaos', 'run', 'db-down', '--profil', 'smoke'], "unknown option '--profil'"],
      [['assess', '--out', aFile], '--out'],
      [['seed', '--scale', 'a\nb'], '--scale "a\\nb"'],
    ];
    for (const [args, expected] of cases) {
      const r = brink(...args);
      expect(r.status, `${args.join(' ')}: ${r.stderr}`).toBe(104);
      inputs++;
      expect(r.stdout).toBe('');
      expect(r.stderr.split('\n').filter(Boolean)).toHaveLength(1);
      expect(r.stderr).toContain(expected);
    }
  }, 120_000);
});
