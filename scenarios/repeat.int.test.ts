/**
 * Repeats and windowed thresholds on the real platform: `--repeat 2` writes two complete run
 * directories and the index the report reads; windowed thresholds are judged on every window of
 * each run; `brink report --compare` reads the repeated sides. Short: two smoke runs at time scale
 * 0.3 (about 3 s of load each). Latency is never asserted (a shared 2-core box): the structure and
 * the verdicts' consistency are.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { StackState } from '../stack/index.ts';
import { openSeededPlatform, type SeededPlatform } from './testing/seeded-platform.ts';
import { runCli } from '../test/cli.ts';
import { compareDirs, DEFAULT_SIDES } from '../reports/index.ts';
import { runRepeated } from './repeat.ts';
import type { WindowedThresholdResult } from './threshold-windows.ts';

describe('repeated runs and windowed thresholds', () => {
  let fx: SeededPlatform;
  let state: StackState;
  let dir: string;

  beforeAll(async () => {
    fx = await openSeededPlatform(inject('stack'), 'repeat_int', 7);
    ({ state, dir } = fx);
  });
  afterAll(async () => fx?.close());

  it('runs the plan twice, keeps both runs and their per-second histograms, and judges every window', async () => {
    const out = join(dir, 'twice');
    const thresholds = { http_req_duration: ['p(99)<60000 over 1s'], http_req_failed: ['rate<0.5', 'rate<0.01 burn 50x over 2s'] };
    const r = await runRepeated({ scenario: 'feed', engine: 'node', profile: 'smoke', timeScale: 0.3, stack: state, outDir: out, thresholds }, 2);
    expect(r.summaries).toHaveLength(2);
    const index = JSON.parse(readFileSync(join(out, 'repeats.json'), 'utf8'));
    expect(index).toMatchObject({ kind: 'repeats', scenario: 'feed', repetitions: 2, runs: [{ dir: 'repeat-1' }, { dir: 'repeat-2' }] });
    for (const [i, s] of r.summaries.entries()) {
      for (const f of ['summary.json', 'histograms.json', 'windows.json']) expect(existsSync(join(out, `repeat-${i + 1}`, f)), f).toBe(true);
      const windows = JSON.parse(readFileSync(join(out, `repeat-${i + 1}`, 'windows.json'), 'utf8'));
      // Every second with requests has a histogram; the threshold metrics have per-second series.
      expect(windows.seconds.filter((x: { requests: number }) => x.requests > 0).every((x: { hist: string }) => x.hist.length > 0)).toBe(true);
      expect(Object.keys(windows.series).sort()).toEqual(['http_req_duration', 'http_req_failed']);
      const [latency, , burn] = s.thresholds as WindowedThresholdResult[];
      expect(latency).toMatchObject({ metric: 'http_req_duration', expression: 'p(99)<60000 over 1s', ok: true });
      expect(latency!.window!.checked).toBeGreaterThan(0);
      expect(burn).toMatchObject({ expression: 'rate<0.01 burn 50x over 2s', window: { burnFactor: 50, lengthMs: 2000 } });
      expect(s.totals.errors).toBe(0);
      expect(burn).toMatchObject({ ok: true, actual: 0 });
      expect(s.notes.some((n) => n.startsWith('threshold http_req_duration p(99)<60000 over 1s held in all '))).toBe(true);
    }
    // The same repeated run on both sides: 2 vs 2 runs can never be significant, and says so.
    const { comparison } = compareDirs(out, out, { ...DEFAULT_SIDES, unit: 'run' });
    expect(comparison.regression).toBe(false);
    expect(comparison.stats!.notes).toContain('with 2 vs 2 runs the smallest p a rank test can give is 0.333, not below alpha 0.05: use more repeats (5 per side reach p=0.008)');
  });

  it('brink run rejects bad window syntax before any load, in one line naming the expression (exit 104)', async () => {
    const stateFile = join(dir, 'stack.json');
    writeFileSync(stateFile, JSON.stringify(state));
    const r = await runCli(['run', 'feed', '--thresholds', '{"http_req_duration": ["p(99)<500 over 30"]}', '--out', join(dir, 'bad')], { BRINK_STACK_STATE: stateFile });
    expect(r.code).toBe(104);
    expect(r.stderr).toBe(
      'brink: threshold "p(99)<500 over 30" on http_req_duration has window "over 30": not "over N(s|m|h)" or "burn Fx over N(s|m|h)"; expected e.g. "p(99)<500 over 30s" or "rate<0.001 burn 14.4x over 1m" (ms, s, m or h)\n',
    );
    const rep = await runCli(['run', 'feed', '--repeat', '0', '--out', join(dir, 'bad2')], { BRINK_STACK_STATE: stateFile });
    expect(rep.code).toBe(104);
    expect(rep.stderr).toBe('brink: --repeat "0" is not a whole number from 1 to 50\n');
  });

  it('brink run --repeat 2 prints every repetition and where they are, and brink report --compare reads them', async () => {
    const stateFile = join(dir, 'stack.json');
    writeFileSync(stateFile, JSON.stringify(state));
    const out = join(dir, 'cli-twice');
    // Asynchronous: the platform runs in this process and must keep answering while the CLI loads it.
    const r = await runCli(['run', 'feed', '--repeat', '2', '--time-scale', '0.2', '--thresholds', '{"http_req_failed": ["rate<0.5 over 1s"]}', '--out', out], { BRINK_STACK_STATE: stateFile });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`2 repetitions in ${out} (compare with: brink report --compare BASE ${out})`);
    expect(r.stdout).toMatch(/^ {2}repetition 1: PASSED \d+ requests/m);
    expect(r.stdout).toMatch(/^ {2}repetition 2: PASSED \d+ requests/m);
    const rep = await runCli(['report', '--out', join(dir, 'cli-report'), '--compare', out, out]);
    expect(rep.code, rep.stderr).toBe(0);
    expect(rep.stdout).toMatch(/^NO REGRESSION: p99 ~ \+0\.0% .*p=1\.000.*\(Mann-Whitney U, 2 vs 2 runs, one sample per 5s window, alpha 0\.05, tolerance 10%\)$/m);
  });
});
