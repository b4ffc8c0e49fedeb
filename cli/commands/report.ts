/**
 * brink report <dir...> [--out DIR] [--compare BASE HEAD]: writes report.html, report.md,
 * summary.json and junit.xml. In compare mode a regression ends with exit 99 (for CI), after the
 * files are written. BASE and HEAD may be repeated runs (brink run --repeat N): the default gate is
 * a Mann-Whitney U test over the repetitions; --gate fixed is the old one-run fixed tolerance.
 * --metrics picks the metrics that can regress (default p99 and error_rate), for either gate.
 */
import type { Command } from 'commander';
import { z } from 'zod';
import { BrinkError, invalidInput } from '../../core/index.ts';
import { writeReport, DEFAULT_GATED_METRICS, parseGatedMetrics } from '../../reports/index.ts';
import { parseOptions } from '../options.ts';

/** A number typed as text; "" and blanks are not 0 (z.coerce.number would take them as 0). */
const number = () => z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? Number.NaN : v), z.coerce.number());

const optionsSchema = z.object({
  out: z.string().min(1),
  title: z.string().optional(),
  compare: z.array(z.string()).length(2, 'expected exactly two run directories: BASE HEAD').optional(),
  tolerancePct: number().pipe(z.number().min(0).max(1000)),
  minDeltaMs: number().pipe(z.number().min(0)),
  errorTolerancePct: number().pipe(z.number().min(0).max(100)),
  gate: z.enum(['rank', 'fixed'], 'expected rank or fixed'),
  alpha: number().pipe(z.number().gt(0, 'expected a significance level in (0, 0.5]').max(0.5, 'expected a significance level in (0, 0.5]')),
  unit: z.enum(['run', 'window'], 'expected run or window'),
  window: z.string().regex(/^[1-9]\d*s$/, 'expected whole seconds, e.g. 5s'),
  metrics: z.string(),
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
    .option('--gate <kind>', 'compare: rank (Mann-Whitney U over repeated runs: significant AND beyond tolerance) or fixed (one run each, tolerance only)', 'rank')
    .option('--alpha <p>', 'compare: significance level of the rank test', '0.05')
    .option('--unit <unit>', 'compare: one sample per window of every run, or per run (the median of its windows; conservative)', 'window')
    .option('--window <seconds>', 'compare: window length the per-second histograms are merged into', '5s')
    .option('--metrics <list>', 'compare: the metrics that can regress, comma-separated: p99, p50, error_rate, throughput (or rps); all are shown', DEFAULT_GATED_METRICS)
    .action(async (dirs: string[], raw: Record<string, unknown>) => {
      const o = parseOptions(optionsSchema, raw);
      const gated = parseGatedMetrics(o.metrics);
      if (dirs.length === 0 && !o.compare) throw invalidInput('no input: give run or assessment directories, or --compare BASE HEAD');
      const result = await writeReport(dirs, {
        outDir: o.out, title: o.title, compare: o.compare as [string, string] | undefined,
        compareOptions: {
          tolerancePct: o.tolerancePct, minDeltaMs: o.minDeltaMs, errorTolerancePct: o.errorTolerancePct,
          gate: o.gate, alpha: o.alpha, unit: o.unit, windowS: Number(o.window.slice(0, -1)), gated,
        },
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
