/**
 * brink report <dir...> [--out DIR] [--compare BASE HEAD]: writes report.html, report.md,
 * summary.json and junit.xml. In compare mode a regression ends with exit 99 (for CI), after the
 * files are written.
 */
import type { Command } from 'commander';
import { z } from 'zod';
import { BrinkError, invalidInput } from '../../core/index.ts';
import { writeReport } from '../../reports/index.ts';

const optionsSchema = z.object({
  out: z.string().min(1),
  title: z.string().optional(),
  compare: z.array(z.string()).length(2, 'expected exactly two run directories: BASE HEAD').optional(),
  tolerancePct: z.coerce.number().min(0).max(1000),
  minDeltaMs: z.coerce.number().min(0),
  errorTolerancePct: z.coerce.number().min(0).max(100),
});

export function reportCommand(program: Command): void {
  program
    .command('report')
    .description('Write report.html, report.md, summary.json and junit.xml from run and assessment directories')
    .argument('[dirs...]', 'run directories (with summary.json) and/or assessment directories (with assessment.json)')
    .option('-o, --out <dir>', 'output directory', 'report')
    .option('--title <text>', 'report title (default: the assessment title)')
    .option('--compare <base-and-head...>', 'compare two run directories (BASE HEAD); exit 99 on regression')
    .option('--tolerance-pct <n>', 'compare: a gated percentile (P99) worse by more than this % is a regression', '10')
    .option('--min-delta-ms <n>', 'compare: ...and worse by more than this many ms (noise floor)', '1')
    .option('--error-tolerance-pct <n>', 'compare: error rate rising by more than this many percentage points is a regression', '1')
    .action(async (dirs: string[], raw: Record<string, unknown>) => {
      const parsed = optionsSchema.safeParse(raw);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        const name = String(issue.path[0] ?? 'option').replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
        throw invalidInput(`--${name} ${JSON.stringify(raw[String(issue.path[0])])}: ${issue.message}`);
      }
      const o = parsed.data;
      if (dirs.length === 0 && !o.compare) throw invalidInput('no input: give run or assessment directories, or --compare BASE HEAD');
      const result = await writeReport(dirs, {
        outDir: o.out, title: o.title, compare: o.compare as [string, string] | undefined,
        compareOptions: { tolerancePct: o.tolerancePct, minDeltaMs: o.minDeltaMs, errorTolerancePct: o.errorTolerancePct },
      });
      process.stdout.write(`${result.model.derived.verdict.text}\n`);
      for (const f of Object.values(result.files)) process.stdout.write(`wrote ${f}\n`);
      if (result.model.problems.length) process.stdout.write(`${result.model.problems.length} input file(s) could not be used; see the Inputs section\n`);
      if (result.comparison) {
        process.stdout.write(`${result.comparison.verdict}\n`);
        if (result.comparison.regression) throw new BrinkError('THRESHOLDS_FAILED', `regression: ${result.comparison.head} vs ${result.comparison.base}`);
      }
    });
}
