import type { Command } from 'commander';
import { EventEmitter } from 'node:events';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { ASSESSMENT_FILES, BrinkError, invalidInput, unknownName, type Finding } from '../../core/index.ts';
import { runAssessment, type AssessEvents, FAIL_ON, gateFailures, parseFailOn } from '../../assess/index.ts';
import { k6Binary } from '../../scenarios/index.ts';
import { addCleanup } from '../interrupt.ts';
import { parseOptions } from '../options.ts';

const PROFILES = ['smoke', 'full'] as const;
const ENGINES = ['k6', 'node'] as const;
const ASSESS_SCALES = ['small', 'medium'] as const;

const optionsSchema = z.object({
  profile: z.string(),
  scale: z.string(),
  engine: z.string(),
  out: z.string().optional(),
  seed: z.string().optional(),
  failOn: z.array(z.string()).optional(),
});

/** `--out` must be a directory or a path that can become one: a file there (or above) is bad input. */
export function checkOutDir(out: string): void {
  const abs = resolve(out);
  if (existsSync(abs) && !statSync(abs).isDirectory()) throw invalidInput(`--out "${out}" is a file; expected a directory (existing or new)`);
  for (let d = dirname(abs); d !== dirname(d); d = dirname(d)) {
    if (existsSync(d)) {
      if (!statSync(d).isDirectory()) throw invalidInput(`--out "${out}" is inside "${d}", which is a file; expected a directory path`);
      break;
    }
  }
}

export function registerAssess(program: Command): void {
  program
    .command('assess')
    .description('the whole assessment in one command: stack, data, scenarios baseline and optimized, each claim measured, audits, chaos, one report')
    .option('--profile <name>', `${PROFILES.join(' or ')} (smoke finishes in under 10 minutes on 2 cores)`, 'smoke')
    .option('--scale <name>', ASSESS_SCALES.join(' or '), 'small')
    .option('--engine <name>', 'load engine for the scenarios: node (default) or k6 (your own install)', 'node')
    .option('--out <dir>', 'assessment directory (default .brink/assessments/<time>)')
    .option('--seed <n>', 'data seed (default 1)')
    .option('--fail-on <gates>', `exit 99 when a gate fails: ${FAIL_ON.join(', ')} (comma-separated or repeated; default incomplete)`, (v: string, prev: string[] = []) => [...prev, v])
    .action(async (raw: Record<string, string | undefined>) => {
      const o = parseOptions(optionsSchema, raw);
      if (!(PROFILES as readonly string[]).includes(o.profile)) throw unknownName('profile', o.profile, PROFILES);
      if (!(ASSESS_SCALES as readonly string[]).includes(o.scale)) throw unknownName('scale', o.scale, ASSESS_SCALES);
      if (!(ENGINES as readonly string[]).includes(o.engine)) throw unknownName('engine', o.engine, ENGINES);
      // A missing k6 is known now, not after the stack is up and seeded.
      if (o.engine === 'k6') k6Binary();
      // Digits only: Number() would take "", " 7" and "0x10" for seeds.
      const seed = o.seed === undefined ? undefined : /^\d{1,10}$/.test(o.seed) ? Number(o.seed) : Number.NaN;
      if (seed !== undefined && (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff)) throw invalidInput(`--seed "${o.seed}" is not valid; expected an integer from 0 to 4294967295`);
      const failOn = parseFailOn(o.failOn ?? ['incomplete'], (v) => unknownName('--fail-on gate', v, FAIL_ON));
      if (o.out !== undefined) {
        if (o.out.trim() === '') throw invalidInput('--out "" is empty; expected a directory path');
        checkOutDir(o.out);
      }

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
        const findingsFile = join(r.outDir, ASSESSMENT_FILES.findings);
        const findings = existsSync(findingsFile) ? (JSON.parse(readFileSync(findingsFile, 'utf8')) as Finding[]) : undefined;
        const failures = gateFailures(failOn, { claims: r.claims, findings, complete: r.meta.complete, failedSteps: r.meta.steps.filter((s) => s.status === 'failed') });
        if (failures.length) throw new BrinkError('THRESHOLDS_FAILED', `--fail-on ${failOn.join(',')}: ${failures.join('; ')}`);
      } finally {
        removeCleanup();
      }
    });
}
