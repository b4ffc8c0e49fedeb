/**
 * Public entry of the reports area: load inputs, build the model, render the four outputs, write
 * them. `brink report` and `brink assess` call writeReport; nothing here prints or exits.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadInputs, type LoadedInputs } from './load.ts';
import { buildModel } from './model.ts';
import { compareDirs, DEFAULT_SIDES, type SidesOptions } from './compare.ts';
import { renderHtml } from './render/html.ts';
import { renderMarkdown } from './render/markdown.ts';
import { renderJunit } from './junit.ts';
import { ChartCache } from './charts/render-svg.ts';
import { SECTIONS } from './sections/index.ts';
import { invalidInput } from '../core/index.ts';
import type { Comparison, ReportModel } from './types.ts';

export type { ReportModel, SectionDescriptor, Block, QueryExplain, ExplainPlan, PoolBudgetView, Comparison } from './types.ts';
export { buildModel } from './model.ts';
export { loadInputs } from './load.ts';
export { compareRuns, compareDirs, DEFAULT_COMPARE, DEFAULT_SIDES, type CompareOptions, type SidesOptions } from './compare.ts';
export { renderHtml } from './render/html.ts';
export { renderMarkdown } from './render/markdown.ts';
export { renderJunit } from './junit.ts';
export { SECTIONS } from './sections/index.ts';
export { readSide, type CompareSide } from './compare/side.ts';
export { DEFAULT_GATED_METRICS, parseGatedMetrics } from './compare/gated-metrics.ts';
export { ChartCache } from './charts/render-svg.ts';
// Test support (the reports' tests and `npm run bench:report`): a realistic, seeded assessment directory.
export { writeAssessmentFixture, DEFAULT_SCENARIOS, type AssessmentFixtureOptions } from './fixtures/realistic.ts';

export const REPORT_FILES = { html: 'report.html', markdown: 'report.md', summary: 'summary.json', junit: 'junit.xml', charts: 'charts' } as const;

export interface ReportOptions {
  outDir: string;
  title?: string;
  /** Base and head run directories for compare mode. */
  compare?: [string, string];
  compareOptions?: Partial<SidesOptions>;
  generatedAt?: string;
}

export interface ReportResult {
  model: ReportModel;
  files: { html: string; markdown: string; summary: string; junit: string };
  htmlBytes: number;
  comparison: Comparison | null;
}

function loadCompare(pair: [string, string], o: Partial<SidesOptions>, into: LoadedInputs): Comparison {
  // Each side is a run directory or a repeated run (repeats.json); see reports/compare.ts.
  const { comparison, base, head } = compareDirs(pair[0], pair[1], { ...DEFAULT_SIDES, ...o });
  // The compared runs (the first repetition of each side) are also shown in full unless already among the inputs.
  for (const entry of [base.repetitions[0]!.entry, head.repetitions[0]!.entry]) {
    if (!into.runs.some((r) => r.dir === entry.dir)) { into.runs.push(entry); into.sources.push({ dir: entry.dir, kind: 'run', read: ['summary.json'] }); }
  }
  return comparison;
}

export async function writeReport(inputDirs: readonly string[], options: ReportOptions): Promise<ReportResult> {
  // The report's summary.json would overwrite a run's own summary.json: never write into an input.
  const out = resolve(options.outDir);
  const clash = [...inputDirs, ...(options.compare ?? [])].find((d) => resolve(d) === out);
  if (clash) throw invalidInput(`--out "${options.outDir}" is one of the inputs; writing there would overwrite its summary.json`, 'choose another --out directory');
  const inputs = loadInputs(inputDirs);
  const comparison = options.compare ? loadCompare(options.compare, options.compareOptions ?? {}, inputs) : null;
  const model = buildModel(inputs, { title: options.title, generatedAt: options.generatedAt, comparison });
  const sections = SECTIONS.all();
  const charts = new ChartCache();
  const html = await renderHtml(model, sections, charts);
  const md = await renderMarkdown(model, sections, charts);
  mkdirSync(join(options.outDir, REPORT_FILES.charts), { recursive: true });
  const files = {
    html: join(options.outDir, REPORT_FILES.html),
    markdown: join(options.outDir, REPORT_FILES.markdown),
    summary: join(options.outDir, REPORT_FILES.summary),
    junit: join(options.outDir, REPORT_FILES.junit),
  };
  writeFileSync(files.html, html);
  writeFileSync(files.markdown, md.markdown);
  for (const c of md.charts) writeFileSync(join(options.outDir, c.file), c.svg);
  writeFileSync(files.summary, `${JSON.stringify(model, null, 2)}\n`);
  writeFileSync(files.junit, renderJunit(model));
  return { model, files, htmlBytes: Buffer.byteLength(html), comparison };
}
