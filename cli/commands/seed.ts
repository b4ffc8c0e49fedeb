/**
 * `brink seed --scale small|medium|large [--seed N] [--database-url URL] [--json]`: replaces the
 * platform's data with a deterministic dataset, loaded with COPY straight into Postgres (not
 * through PgBouncer: COPY and DDL in one long transaction). Progress goes to stderr, the summary
 * line (or --json) to stdout.
 */
import type { Command } from 'commander';
import { z } from 'zod';
import { BrinkError, invalidInput, isLoopbackHost } from '../../core/index.ts';
import { SCALE_NAMES, seed, type SeedEvent, type SeedResult } from '../../reference-system/index.ts';
import { readStackState } from '../../stack/index.ts';
import { parseOptions } from '../options.ts';

interface SeedCliOptions {
  scale: string;
  seed: string;
  databaseUrl?: string;
  json?: boolean;
}

const optionsSchema = z.object({
  scale: z.enum(SCALE_NAMES),
  seed: z.string().regex(/^\d{1,10}$/).transform(Number).pipe(z.number().int().min(0).max(0xffffffff)),
});

function parseSeedOptions(opts: SeedCliOptions): { scale: (typeof SCALE_NAMES)[number]; seed: number; databaseUrl: string } {
  const opt = parseOptions(optionsSchema, { scale: opts.scale, seed: opts.seed }, { expected: { scale: `one of: ${SCALE_NAMES.join(', ')}`, seed: 'an integer from 0 to 4294967295' } });
  const databaseUrl = opts.databaseUrl ?? readStackState().urls.postgres;
  let url: URL;
  try {
    url = new URL(databaseUrl);
  } catch {
    throw invalidInput(`--database-url "${databaseUrl}" is not a URL; expected e.g. postgres://postgres@127.0.0.1:5432/brink`);
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw invalidInput(`--database-url "${databaseUrl}" has protocol "${url.protocol}"; expected postgres: or postgresql:`);
  }
  // Seeding truncates every platform table: only ever on this machine.
  if (url.hostname !== '' && !isLoopbackHost(url.hostname)) {
    throw new BrinkError('REMOTE_TARGET_REFUSED', `database host "${url.hostname}" is not a loopback address; seeding replaces all data, so it runs only against 127.0.0.0/8 or ::1`);
  }
  return { ...opt, databaseUrl };
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function display(e: SeedEvent): void {
  if (e.type === 'phase' && e.phase !== 'done') process.stderr.write(`brink: seed ${e.phase}… (${secs(e.elapsedMs)})\n`);
  else if (e.type === 'table-progress') {
    const pct = e.expectedRows > 0 ? ` (${Math.min(99, Math.floor((100 * e.rows) / e.expectedRows))}%)` : '';
    process.stderr.write(`  ${e.table.padEnd(21)} ${fmt(e.rows)} rows${pct}\n`);
  } else if (e.type === 'table-done') {
    process.stderr.write(`  ${e.table.padEnd(21)} ${fmt(e.rows)} rows in ${secs(e.durationMs)} (${fmt(e.rows / Math.max(e.durationMs / 1000, 1e-3))} rows/s)\n`);
  }
}

export function summaryLine(r: SeedResult): string {
  const i = r.info;
  const rows = r.tables.reduce((a, t) => a + t.rows, 0);
  const posts = r.tables.find((t) => t.table === 'posts');
  return (
    `seeded ${i.scale} (seed ${i.seed}): ${fmt(i.users)} users, ${fmt(i.follows)} follows, ${fmt(i.posts)} posts, ` +
    `${fmt(i.comments)} comments, ${fmt(i.conversations)} conversations, ${fmt(i.messages)} messages, ${fmt(i.stories)} stories ` +
    `in ${secs(r.totalMs)} (${fmt(rows / (r.totalMs / 1000))} rows/s overall; posts ${fmt(posts?.rowsPerSec ?? 0)} rows/s; ` +
    `copy ${secs(r.copyMs)}, keys and indexes ${secs(r.indexMs)}, analyze ${secs(r.analyzeMs)})`
  );
}

export function registerSeed(program: Command): void {
  program
    .command('seed')
    .description('replace the platform data with a deterministic dataset (COPY, straight to Postgres)')
    .requiredOption('--scale <scale>', `dataset size: ${SCALE_NAMES.join(', ')}`)
    .option('--seed <n>', 'PRNG seed: the same seed gives the same data', '1')
    .option('--database-url <url>', "Postgres URL (default: the running stack's direct Postgres URL)")
    .option('--json', 'print the result as JSON on stdout')
    .action(async (opts: SeedCliOptions) => {
      const o = parseSeedOptions(opts);
      const result = await seed(o.databaseUrl, { scale: o.scale, seed: o.seed }, display);
      process.stdout.write(opts.json ? `${JSON.stringify(result, null, 2)}\n` : `${summaryLine(result)}\n`);
    });
}
