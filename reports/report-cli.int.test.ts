/**
 * `brink report` through the real CLI: the four files, the verdict line, compare mode's exit 99 on
 * a regression (for CI) and 0 without one, and exit 104 naming the bad value. Needs no stack.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../test/cli.ts';
import { writeAssessmentFixture, DEFAULT_SCENARIOS } from './fixtures/realistic.ts';

describe('brink report', () => {
  let tmp: string;
  let assessment: string;
  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'brink-report-cli-'));
    assessment = join(tmp, 'assessment');
    writeAssessmentFixture(assessment, { durationS: 30, scenarios: DEFAULT_SCENARIOS.slice(0, 1) });
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('writes report.html, report.md, summary.json and junit.xml and prints the verdict', async () => {
    const out = join(tmp, 'out');
    const r = await runCli(['report', assessment, '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('DO NOT DEPLOY: 2 CRITICAL');
    for (const f of ['report.html', 'report.md', 'summary.json', 'junit.xml']) {
      expect(r.stdout).toContain(`wrote ${join(out, f)}`);
      expect(existsSync(join(out, f))).toBe(true);
    }
    const model = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { derived: { verdict: { text: string } }; runs: unknown[] };
    expect(model.derived.verdict.text).toBe('DO NOT DEPLOY: 2 CRITICAL');
    expect(model.runs).toHaveLength(2);
  });

  it('exits 99 in compare mode when the head run regressed, after writing the report', async () => {
    const out = join(tmp, 'cmp');
    const r = await runCli(['report', '--out', out, '--gate', 'fixed', '--compare', join(assessment, 'runs', 'feed-optimized'), join(assessment, 'runs', 'feed-baseline')]);
    expect(r.code).toBe(99);
    expect(r.stdout).toMatch(/^REGRESSION: \(all requests\) p99 \+\d/m);
    expect(r.stderr).toContain('brink: regression:');
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('REGRESSION');
  });

  it('exits 0 in compare mode when nothing regressed', async () => {
    const run = join(assessment, 'runs', 'feed-optimized');
    const r = await runCli(['report', '--out', join(tmp, 'same'), '--gate', 'fixed', '--compare', run, run]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('NO REGRESSION');
  });

  it('with the default rank gate and one run per side, says NOT SIGNIFICANT and exits 0', async () => {
    const r = await runCli(['report', '--out', join(tmp, 'rank'), '--compare', join(assessment, 'runs', 'feed-optimized'), join(assessment, 'runs', 'feed-baseline')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('NOT SIGNIFICANT: 1 vs 1 run; one run per side cannot tell a change from noise.');
    expect(readFileSync(join(tmp, 'rank', 'report.html'), 'utf8')).toContain('Mann-Whitney U per metric');
    const bad = await runCli(['report', '--out', join(tmp, 'w'), '--window', '5', '--compare', join(assessment, 'runs', 'feed-optimized'), join(assessment, 'runs', 'feed-baseline')]);
    expect(bad.code).toBe(104);
    expect(bad.stderr).toBe('brink: --window "5" is invalid: expected whole seconds, e.g. 5s\n');
  });

  it('exits 104 naming the bad value', async () => {
    const one = await runCli(['report', '--out', join(tmp, 'x'), '--compare', assessment]);
    expect(one.code).toBe(104);
    expect(one.stderr).toContain('brink: --compare ["');
    expect(one.stderr).toContain('expected exactly two run directories: BASE HEAD');
    const tol = await runCli(['report', assessment, '--out', join(tmp, 'y'), '--tolerance-pct', 'lots']);
    expect(tol.code).toBe(104);
    expect(tol.stderr).toContain('brink: --tolerance-pct "lots"');
    const missing = await runCli(['report', join(tmp, 'nope'), '--out', join(tmp, 'z')]);
    expect(missing.code).toBe(104);
    expect(missing.stderr).toBe(`brink: report input "${join(tmp, 'nope')}" is not a directory (pass run directories (with summary.json) or assessment directories (with assessment.json))\n`);
  });
});
