import type { Command } from 'commander';
import { EventEmitter } from 'node:events';
import { z } from 'zod';
import { BrinkError, invalidInput, unknownName } from '../../core/index.ts';
import { runAssessment, type AssessEvents } from '../../assess/run.ts';
import { addCleanup } from '../interrupt.ts';

const PROFILES = ['smoke', 'full'] as const;
const ENGINES = ['k6', 'node'] as const;
const ASSESS_SCALES = ['small', 'medium'] as const;

const optionsSchema = z.object({
  profile: z.string(),
  scale: z.string(),
  engine: z.string(),
  out: z.string().optional(),
  seed: z.string().optional(),
});

export function registerAssess(program: Command): void {
  program
    .command('assess')
    .description('the whole assessment in one command: stack, data, scenarios baseline and optimized, each claim measured, audits, chaos, one report')
    .option('--profile <name>', `${PROFILES.join(' or ')} (smoke finishes in under 10 minutes on 2 cores)`, 'smoke')
    .option('--scale <name>', ASSESS_SCALES.join(' or '), 'small')
    .option('--engine <name>', 'load engine for the scenarios: k6 or node', 'k6')
    .option('--out <dir>', 'assessment directory (default .brink/assessments/<time>)')
    .option('--seed <n>', 'data seed (default 1)')
    .action(async (raw: Record<string, string | undefined>) => {
      const o = optionsSchema.parse(raw);
      if (!(PROFILES as readonly string[]).includes(o.profile)) throw unknownName('profile', o.profile, PROFILES);
      if (!(ASSESS_SCALES as readonly string[]).includes(o.scale)) throw unknownName('scale', o.scale, ASSESS_SCALES);
      if (!(ENGINES as readonly string[]).includes(o.engine)) throw unknownName('engine', o.engine, ENGINES);
      const seed = o.seed === undefined ? undefined : Number(o.seed);
      if (seed !== undefined && (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff)) throw invalidInput(`--seed "${o.seed}" is not valid; expected an integer from 0 to 4294967295`);

      const events = new EventEmitter<AssessEvents>();
      const t0 = Date.now();
      events.on('step', (s) => process.stderr.write(`[${s.index}/${s.total}] ${s.title}…\n`));
      events.on('step-done', (s) => process.stderr.write(`      ${s.status === 'ok' ? 'done' : s.status.toUpperCase()} in ${(s.durationMs / 1000).toFixed(1)} s${s.error ? `: ${s.error}` : ''}\n`));
      events.on('note', (m) => process.stderr.write(`      ${m}\n`));

      const ac = new AbortController();
      let running: Promise<unknown> | undefined;
      const removeCleanup = addCleanup(async () => {
        ac.abort();
        await running?.catch(() => undefined);
      });
      try {
        const p = runAssessment({ profile: o.profile as 'smoke' | 'full', scale: o.scale as 'small' | 'medium', engine: o.engine as 'k6' | 'node', ...(o.out ? { outDir: o.out } : {}), ...(seed !== undefined ? { seed } : {}), signal: ac.signal }, events);
        running = p;
        const r = await p;
        const counts = r.claims.reduce<Record<string, number>>((acc, c) => ({ ...acc, [c.verdict]: (acc[c.verdict] ?? 0) + 1 }), {});
        process.stderr.write(`brink assess: ${r.meta.complete ? 'complete' : 'INCOMPLETE'} in ${((Date.now() - t0) / 1000).toFixed(0)} s; claims: ${Object.entries(counts).map(([k, v]) => `${v} ${k}`).join(', ')}\n`);
        process.stdout.write(`${r.reportHtml ?? `${r.outDir} (no report was written)`}\n`);
        if (!r.meta.complete) throw new BrinkError('UNEXPECTED', `the assessment is incomplete: ${r.meta.steps.filter((s) => s.status === 'failed').map((s) => `${s.name} (${s.error})`).join('; ')}`);
      } finally {
        removeCleanup();
      }
    });
}
