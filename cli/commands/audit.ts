/**
 * `brink audit sql|indexes|pools`: the analyzers against the running stack's database (default)
 * or a user's own (--database-url, --queries DIR of .sql files). Read-only for a user's database:
 * every EXPLAIN and proof runs in a transaction that is rolled back; writes are explained without
 * ANALYZE and real indexes are not built unless asked (--real-indexes).
 */
import { readFileSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import type pg from 'pg';
import { z } from 'zod';
import { BrinkError, type Finding, invalidInput } from '../../core/index.ts';
import {
  type AuditReport, atOrAbove, auditIndexes, auditPools, auditSql, connectDirect, countBySeverity, loadQueryFolder, parseDeployment,
  readPgbouncerSettings, readPostgresLimits, redactUrl, referenceDeployment, renderBudget, renderFindings, snapshotStatements,
} from '../../analyzers/index.ts';
import type { PoolAuditDetails } from '../../analyzers/index.ts';
import { NAMED_QUERIES, type NamedQuery, queryForm } from '../../sql-audit/index.ts';
import { parseVariant, switchesFor } from '../../core/index.ts';
import { readStackState, type StackState } from '../../stack/index.ts';
import { addCleanup } from '../interrupt.ts';
import { parseOptions } from '../options.ts';

/** A number typed as text; "" and blanks are not 0 (z.coerce.number would take them as 0). */
const number = () => z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? Number.NaN : v), z.coerce.number());

const OptionsSchema = z.object({
  databaseUrl: z.string().regex(/^postgres(ql)?:\/\//, 'a postgres:// URL').optional(),
  queries: z.string().min(1).optional(),
  json: z.boolean().default(false),
  failOn: z.enum(['critical', 'high']).optional(),
  timeoutMs: number().pipe(z.number().int().min(100).max(600_000)).default(10_000),
  variant: z.string().optional(),
  realIndexes: z.boolean().default(false),
  deployment: z.string().min(1).optional(),
  sampleSeconds: number().pipe(z.number().min(0).max(3_600)).default(0),
  pgbouncerUrl: z.string().regex(/^postgres(ql)?:\/\//, 'a postgres:// URL').optional(),
});
type Options = z.infer<typeof OptionsSchema>;

const OPTION_FLAGS: Record<string, string> = {
  databaseUrl: '--database-url', queries: '--queries', failOn: '--fail-on', timeoutMs: '--timeout-ms', variant: '--variant',
  deployment: '--deployment', sampleSeconds: '--sample-seconds', pgbouncerUrl: '--pgbouncer-url',
};

const isDirectory = (path: string): boolean => statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;

function parseAuditOptions(raw: unknown): Options {
  const o = parseOptions(OptionsSchema, raw, { flags: OPTION_FLAGS });
  // Paths are checked here, before the stack or a database is looked for.
  if (o.queries !== undefined && !isDirectory(o.queries)) throw invalidInput(`--queries "${o.queries}" is not a directory; expected a folder of .sql files`);
  if (o.variant !== undefined) parseVariant(o.variant);
  return o;
}

interface Target {
  url: string;
  /** The reference stack's own database: writes may be analyzed and indexes built in rolled-back transactions. */
  ownDatabase: boolean;
  stack?: StackState;
}

function resolveTarget(o: Options): Target {
  if (o.databaseUrl) return { url: o.databaseUrl, ownDatabase: false };
  let stack: StackState;
  try {
    stack = readStackState();
  } catch (e) {
    throw new BrinkError('STACK_NOT_RUNNING', 'no --database-url given and no running brink stack to audit', { cause: e, suggestion: 'pass --database-url postgres://... or start the stack with `brink stack up`' });
  }
  return { url: stack.urls.postgres, ownDatabase: true, stack };
}

function selectQueries(o: Options): { queries: NamedQuery[]; fromCatalog: boolean } {
  if (o.queries) return { queries: loadQueryFolder(o.queries), fromCatalog: false };
  if (!o.variant) return { queries: [...NAMED_QUERIES], fromCatalog: true };
  // One form per family: the one the variant runs.
  const switches = switchesFor(parseVariant(o.variant));
  return { queries: NAMED_QUERIES.filter((q) => !('usedWhen' in q) || queryForm(q.family, switches).id === q.id), fromCatalog: true };
}

function print(report: AuditReport, o: Options, extra = ''): void {
  if (o.json) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return;
  }
  const counts = countBySeverity(report.findings);
  process.stdout.write(`brink audit ${report.kind}: ${report.target} (${(report.durationMs / 1000).toFixed(1)} s)\n\n${extra}${renderFindings(report.findings)}`);
  for (const n of report.notes) process.stdout.write(`note: ${n}\n`);
  process.stdout.write(`\n${Object.entries(counts).filter(([, n]) => n > 0).map(([s, n]) => `${n} ${s}`).join(', ') || 'no findings'}\n`);
}

function failOn(findings: Finding[], o: Options): void {
  if (!o.failOn) return;
  const bad = atOrAbove(findings, o.failOn === 'critical' ? 'CRITICAL' : 'HIGH');
  if (bad.length) throw new BrinkError('THRESHOLDS_FAILED', `${bad.length} finding(s) at or above ${o.failOn.toUpperCase()} (--fail-on ${o.failOn})`);
}

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = await connectDirect(url);
  const remove = addCleanup(() => client.end());
  try {
    return await fn(client);
  } finally {
    remove();
    await client.end().catch(() => {});
  }
}

async function runSql(raw: unknown): Promise<void> {
  const o = parseAuditOptions(raw);
  const target = resolveTarget(o);
  const { queries, fromCatalog } = selectQueries(o);
  const report = await withClient(target.url, (c) => auditSql(c, queries, { timeoutMs: o.timeoutMs, analyzeWrites: target.ownDatabase, expectDataset: fromCatalog, target: redactUrl(target.url) }));
  if (!o.json) {
    const lines = report.details.map((d) => `  ${d.queryId.padEnd(32)} ${d.executionMs === undefined ? '-'.padStart(10) : `${d.executionMs.toFixed(2)} ms`.padStart(10)}  ${d.planShape ?? '(no plan)'}`);
    print(report, o, `Queries (execution time, plan):\n${lines.join('\n')}\n\n`);
  } else print(report, o);
  failOn(report.findings, o);
}

async function runIndexes(raw: unknown): Promise<void> {
  const o = parseAuditOptions(raw);
  const target = resolveTarget(o);
  const { queries, fromCatalog } = selectQueries(o);
  const report = await withClient(target.url, (c) => auditIndexes(c, queries, {
    timeoutMs: o.timeoutMs,
    realIndexes: o.realIndexes || target.ownDatabase,
    analyzeWrites: target.ownDatabase,
    // On the reference stack the statistics only reflect brink's own runs; on a user's database they reflect real traffic.
    reportUnused: !target.ownDatabase,
    expectDataset: fromCatalog,
    target: redactUrl(target.url),
  }));
  print(report, o, `HypoPG: ${report.details.hypopg}\n\n`);
  failOn(report.findings, o);
}

async function runPools(raw: unknown): Promise<void> {
  const o = parseAuditOptions(raw);
  let report: AuditReport<PoolAuditDetails>;
  if (o.deployment) {
    let text: string;
    try {
      text = readFileSync(o.deployment, 'utf8');
    } catch (e) {
      throw invalidInput(`--deployment "${o.deployment}" cannot be read: ${(e as Error).message}`);
    }
    const deployment = parseDeployment(text, o.deployment);
    const sample = o.databaseUrl && o.sampleSeconds > 0 ? await withClient(o.databaseUrl, (c) => sampleStatements(c, o)) : undefined;
    report = auditPools({ deployment, target: o.deployment, queries: NAMED_QUERIES, ...(sample ? { sample } : {}) });
  } else {
    const target = resolveTarget(o);
    const pgbouncerUrl = o.pgbouncerUrl ?? target.stack?.urls.pgbouncer;
    report = await withClient(target.url, async (c) => {
      const postgres = await readPostgresLimits(c, o.timeoutMs);
      const pgbouncer = pgbouncerUrl ? await readPgbouncerSettings(pgbouncerUrl).catch((e: Error) => { throw new BrinkError('UNREACHABLE', `cannot read PgBouncer settings from ${redactUrl(pgbouncerUrl)}: ${e.message}`, { suggestion: 'pass --pgbouncer-url of a user in stats_users, or describe the system with --deployment FILE' }); }) : undefined;
      const services = target.stack?.platform ? Object.keys(target.stack.platform.services) : undefined;
      const deployment = referenceDeployment({ postgres, ...(pgbouncer ? { pgbouncer } : {}), ...(services ? { services } : {}) });
      const sample = o.sampleSeconds > 0 ? await sampleStatements(c, o) : undefined;
      return auditPools({ deployment, target: redactUrl(target.url), queries: NAMED_QUERIES, ...(sample ? { sample } : {}) });
    });
  }
  print(report, o, `${renderBudget(report.details.budget)}\n`);
  failOn(report.findings, o);
}

async function sampleStatements(c: pg.Client, o: Options) {
  const before = await snapshotStatements(c, o.timeoutMs);
  if (!before.ok) return { missing: before.reason };
  // Bounded: at most an hour (validated above), and SIGINT ends the process through main's cleanup.
  await new Promise((r) => setTimeout(r, o.sampleSeconds * 1000));
  const after = await snapshotStatements(c, o.timeoutMs);
  if (!after.ok) return { missing: after.reason };
  return { before: before.stats, after: after.stats, durationMs: after.atMs - before.atMs };
}

export function registerAudit(program: Command): void {
  const audit = program.command('audit').description('find slow plans, missing indexes and pool budget problems, on the stack or your own Postgres');
  const common = (cmd: Command) => cmd
    .option('--database-url <url>', 'Postgres to audit, a DIRECT connection (default: the running stack\'s)')
    .option('--json', 'print the report as JSON')
    .option('--fail-on <level>', 'exit 99 when a finding is at or above critical|high')
    .option('--timeout-ms <ms>', 'statement_timeout per EXPLAIN and per parameter pick', '10000');
  common(audit.command('sql').description('EXPLAIN (ANALYZE, BUFFERS) every query in rolled-back transactions and run the plan checks'))
    .option('--queries <dir>', 'a folder of .sql files (one query each, "-- $1: value" header lines) instead of the catalog')
    .option('--variant <name>', 'only the catalog forms that baseline|optimized runs')
    .action((opts) => runSql(opts));
  common(audit.command('indexes').description('derive the indexes each query wants, compare with existing ones, prove suggestions with HypoPG'))
    .option('--queries <dir>', 'a folder of .sql files instead of the catalog')
    .option('--variant <name>', 'only the catalog forms that baseline|optimized runs')
    .option('--real-indexes', 'when HypoPG cannot model an index, build it in a rolled-back transaction (locks the table meanwhile)')
    .action((opts) => runIndexes(opts));
  common(audit.command('pools').description("the pool budget table against PgBouncer/Postgres limits, and Little's-law sizing"))
    .option('--deployment <file>', 'YAML description of your services and pools (see analyzers/pools/deployment.ts)')
    .option('--pgbouncer-url <url>', "PgBouncer to read settings from (default: the stack's)")
    .option('--sample-seconds <n>', 'sample pg_stat_statements for N seconds (while load runs) for Little\'s law', '0')
    .action((opts) => runPools(opts));
}
