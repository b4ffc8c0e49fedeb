/** The report step: one HTML report over everything the steps before it wrote to the assessment directory. */
import { join } from 'node:path';
import type { AssessStep, NoInput } from '../step.ts';

/** Its output: the report's HTML file. */
export const reportStep: AssessStep<NoInput, string> = {
  id: 'report',
  title: 'write the report',
  final: true,
  async run(env) {
    const { writeReport } = await import('../../reports/index.ts');
    const r = await writeReport([env.outDir], { outDir: join(env.outDir, 'report'), title: `brink assessment: ${env.settings.profile} profile, ${env.settings.scale} data` });
    return r.files.html;
  },
};
