import type { Command } from 'commander';
import { BrinkError } from '../../core/index.ts';
import { setup, type SetupEvent } from '../../stack/index.ts';
import { findK6, k6Version } from '../../scenarios/index.ts';

/** k6 is the user's own optional engine: reported, never installed (see scenarios/k6-binary.ts). */
function k6Status(): { name: string; present: boolean; optional: true; version?: string; note: string } {
  const bin = findK6();
  if (!bin) return { name: 'k6', present: false, optional: true, note: 'optional, not installed (install it yourself to use --engine k6)' };
  const version = k6Version(bin);
  return { name: 'k6', present: true, optional: true, ...(version ? { version } : {}), note: `optional, found at ${bin}` };
}

export function registerSetup(program: Command): void {
  program
    .command('setup')
    .description('install and verify the real components (Postgres 15 + HypoPG, PgBouncer, Redis, RabbitMQ, Chromium, toxiproxy-server); reports an optional k6 you installed yourself; quick when all are present')
    .option('--check', 'only report what is present, with versions; exit non-zero if anything is missing')
    .option('--json', 'print the statuses as JSON')
    .action(async (opts: { check?: boolean; json?: boolean }) => {
      const verbose = Boolean(process.env.BRINK_VERBOSE);
      const display = (e: SetupEvent) => {
        if (e.type === 'run') process.stderr.write(`brink setup: ${e.command}\n`);
        else if (e.type === 'output' && verbose) process.stderr.write(`  ${e.line}\n`);
      };
      const result = await setup({ checkOnly: Boolean(opts.check) }, display);
      const k6 = k6Status();
      if (opts.json) process.stdout.write(`${JSON.stringify([...result.statuses, k6], null, 2)}\n`);
      else {
        for (const s of result.statuses) {
          const mark = s.present ? 'ok     ' : s.optional ? 'absent ' : 'MISSING';
          const version = s.version ? ` ${s.version}` : '';
          const wanted = !s.present && s.wanted ? ` (want ${s.wanted})` : '';
          process.stdout.write(`${mark} ${s.name}${version}${wanted}${s.present ? '' : `  -> ${s.install}`}\n`);
        }
        process.stdout.write(`${k6.present ? 'ok     ' : 'absent '} k6${k6.version ? ` ${k6.version}` : ''}  -- ${k6.note}\n`);
      }
      const missing = result.statuses.filter((s) => !s.present && !s.optional);
      if (missing.length > 0) {
        throw new BrinkError('MISSING_DEPENDENCY', `missing: ${missing.map((s) => s.name).join(', ')}`, {
          suggestion: opts.check ? 'run "brink setup" to install them' : missing.map((s) => s.install).join('; '),
        });
      }
    });
}
