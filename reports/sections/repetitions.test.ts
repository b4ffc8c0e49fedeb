/**
 * `brink report DIR` on a directory written by `brink run --repeat N`: one report with every
 * repetition (each a run of its own, "<dir> #i") and the Repetitions section showing their spread.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeReport } from '../index.ts';
import { buildModel } from '../model.ts';
import { inputsWith, literalRun } from '../test-helpers.ts';
import type { Block } from '../types.ts';
import { repetitions, spreadOf } from './repetitions.ts';

const tmp = mkdtempSync(join(tmpdir(), 'brink-repetitions-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A repeated run as scenarios/repeat.ts writes it: repeat-1..N and repeats.json. */
function writeRepeated(dir: string, p99s: number[]): void {
  p99s.forEach((p99, i) => {
    const sub = join(dir, `repeat-${i + 1}`);
    mkdirSync(sub, { recursive: true });
    const { summary } = literalRun(`r${i + 1}`, { p99, ratePerSec: 100 + i });
    writeFileSync(join(sub, 'summary.json'), JSON.stringify(summary));
  });
  writeFileSync(join(dir, 'repeats.json'), JSON.stringify({
    schemaVersion: 1, kind: 'repeats', scenario: 'feed', profile: 'smoke', engine: 'node', repetitions: p99s.length,
    runs: p99s.map((p, i) => ({ dir: `repeat-${i + 1}`, status: 'passed', requests: 1000, p99Ms: p })),
  }));
}

describe('brink report on a repeated run', () => {
  it('renders one report with every repetition and their spread', async () => {
    const dir = join(tmp, 'feed-x3');
    writeRepeated(dir, [100, 150, 120]);
    const r = await writeReport([dir], { outDir: join(tmp, 'out') });
    expect(r.model.runs.map((x) => x.label)).toEqual(['feed-x3 #1', 'feed-x3 #2', 'feed-x3 #3']);
    expect(r.model.runs.map((x) => x.repeat?.index)).toEqual([1, 2, 3]);
    expect(r.model.problems).toEqual([]);
    const blocks = repetitions.render(r.model);
    const table = blocks.find((b): b is Extract<Block, { kind: 'table' }> => b.kind === 'table')!;
    // Three repetitions, then min, median, max and max/min.
    expect(table.rows.map((row) => (typeof row[0] === 'object' ? row[0].text : row[0]))).toEqual(['#1', '#2', '#3', 'min', 'median', 'max', 'max / min']);
    expect(table.rows.at(-1)![5]).toBe('1.50x');
    expect(blocks.some((b) => b.kind === 'chart' && b.id === 'repetitions-1')).toBe(true);
    const md = readFileSync(r.files.markdown, 'utf8');
    expect(md).toContain('Repetitions');
    expect(md).toContain('feed-x3: feed smoke, 3 of 3 repetitions');
  });

  it('names an unreadable repetition as a problem and still reports the others', async () => {
    const dir = join(tmp, 'broken');
    writeRepeated(dir, [100, 110]);
    writeFileSync(join(dir, 'repeat-2', 'summary.json'), '{ not json');
    const r = await writeReport([dir], { outDir: join(tmp, 'out-broken') });
    expect(r.model.runs.map((x) => x.label)).toEqual(['broken #1']);
    expect(r.model.problems.join('\n')).toMatch(/broken #2\/summary.json: not valid JSON/);
  });

  it('is absent without a repeated run, and the spread of literal values is exact', () => {
    const model = buildModel(inputsWith({ runs: [literalRun('single')] }));
    expect(repetitions.when!(model)).toBe(false);
    expect(repetitions.render(model)).toEqual([{ kind: 'empty', text: 'No repeated run among the inputs.' }]);
    expect(spreadOf([3, 1, 2, 4])).toEqual({ min: 1, median: 2.5, max: 4, ratio: 4 });
    expect(spreadOf([0, 2]).ratio).toBeNull();
  });
});
