/**
 * `brink merge <dir...> --out DIR`: segment results (`brink run --segment i/N`, or the CSV files
 * of a k6-operator TestRun's runners) into one run directory: counts summed, percentiles from
 * merged HDR histograms, seconds aligned, thresholds evaluated once on the merged data. Exit 99
 * when a threshold fails, 104 when the parts do not belong together.
 */
import type { Command } from 'commander';
import { statSync } from 'node:fs';
import { z } from 'zod';
import { BrinkError, invalidInput, type RunSummary } from '../../core/index.ts';
import { writeJunit, mergeRun } from '../../scenarios/index.ts';
import { parseOptions } from '../options.ts';

const Options = z.object({ out: z.string().optional(), thresholds: z.string().optional(), junit: z.string().optional() });

export function registerMerge(program: Command): void {
  program
    .command('merge')
    .description('merge segment results (brink run --segment, or k6 CSV output of a TestRun) into one run, thresholds evaluated on the merged data')
    .argument('<inputs...>', 'segment run directories, directories holding them, or k6 CSV files')
    .option('--out <dir>', 'the merged run directory (required)')
    .option('--thresholds <file>', "thresholds JSON in k6's syntax, replacing the ones the segments carry")
    .option('--junit <file>', 'also write a JUnit XML file, one testcase per threshold')
    .action(async (inputs: string[], raw: unknown) => {
      const o = parseOptions(Options, raw);
      if (!o.out) throw invalidInput('--out is required: the directory to write the merged run to');
      if (statSync(o.out, { throwIfNoEntry: false })?.isFile()) throw invalidInput(`--out "${o.out}" is a file; expected a directory`);
      const m = await mergeRun({ inputs, outDir: o.out, ...(o.thresholds ? { thresholds: o.thresholds } : {}) });
      if (o.junit) writeJunit(o.junit, m.summary);
      process.stdout.write(describe(m.summary, m.parts.length, o.out));
      const failed = m.summary.thresholds.filter((t) => !t.ok);
      if (failed.length > 0) {
        throw new BrinkError('THRESHOLDS_FAILED', `${failed.length} of ${m.summary.thresholds.length} thresholds failed on the merged data: ${failed.map((t) => `${t.metric} ${t.expression} (measured ${t.actual ?? 'nothing'})`).join('; ')}`);
      }
    });
}

function describe(s: RunSummary, parts: number, out: string): string {
  return [
    `${s.card.scenario} ${s.card.profile}: merged ${parts} parts of run ${s.card.runId} into ${out}: ${s.status.toUpperCase()} - ${s.totals.requests} requests, ${s.totals.errors} errors, p50 ${s.totals.latencyMs.p50} p99 ${s.totals.latencyMs.p99} ms`,
    ...s.thresholds.map((t) => `  ${t.ok ? 'ok  ' : 'FAIL'} ${t.metric}: ${t.expression}${t.actual === undefined ? '' : ` (measured ${Math.round(t.actual * 1000) / 1000})`}`),
  ].join('\n') + '\n';
}
