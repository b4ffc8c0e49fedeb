/**
 * The audits on a real Postgres 15 with HypoPG: a baseline-schema database where user 1 has
 * 100,000 posts. NV-1 must come out CRITICAL (Sort under Limit) with the partial composite index
 * suggested and proven by HypoPG; after migration 001 nothing critical remains for get_user_posts,
 * and on the fully migrated schema the optimized forms of the catalog have nothing critical.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { PROJECT_ROOT } from '../core/index.ts';
import { type CreatedDatabase, createDatabase } from '../stack/index.ts';
import { NAMED_QUERIES, QUERY_CATALOG, queryForm } from '../sql-audit/catalog.ts';
import { switchesFor } from '../core/index.ts';
import { connectDirect } from './db.ts';
import { auditSql } from './explain/audit-sql.ts';
import { auditIndexes } from './indexes/audit-indexes.ts';
import { loadTestData } from './test-data.ts';
import { snapshotStatements } from './pools/collect.ts';
import { demandByService, statementDeltas } from './pools/littles-law.ts';

const MIGRATIONS = join(PROJECT_ROOT, 'sql-audit', 'migrations');

function upSection(file: string): string {
  const text = readFileSync(join(MIGRATIONS, file), 'utf8');
  return text.split(/^-- down$/m)[0]!.split(/^-- up$/m)[1]!;
}

const SQL_OPTS = { timeoutMs: 30_000, analyzeWrites: true, expectDataset: true, target: 'audit_test' };
const IDX_OPTS = { timeoutMs: 30_000, realIndexes: false, analyzeWrites: true, reportUnused: false, expectDataset: true, target: 'audit_test' };

describe('audit on a baseline database with a 100,000-post user', () => {
  let db: CreatedDatabase;
  let client: pg.Client;

  beforeAll(async () => {
    db = await createDatabase(inject('stack'), 'audit_test');
    client = await connectDirect(db.url);
    await loadTestData(client);
  });
  afterAll(async () => {
    await client?.end();
    await db?.drop();
  });

  it('finds NV-1 as CRITICAL: a Sort of the heavy user\'s posts under the Limit', async () => {
    const report = await auditSql(client, [QUERY_CATALOG.get('get_user_posts')], SQL_OPTS);
    const nv1 = report.findings.find((f) => f.checkId === 'sort-under-limit');
    expect(nv1?.severity).toBe('CRITICAL');
    expect(nv1?.claimIds).toContain('NV-1');
    expect(nv1?.evidence?.rowsSorted).toBe(98_000);
    expect(report.details[0]?.params[0]).toBe('user_id = 1 (dataset_info heavyUsers, 100000 posts)');
  });

  it('suggests (user_id, created_at DESC) WHERE deleted_at IS NULL and proves it with HypoPG', async () => {
    const report = await auditIndexes(client, [QUERY_CATALOG.get('get_user_posts')], IDX_OPTS);
    expect(report.details.hypopg).toBe('installed');
    const f = report.findings.find((x) => x.checkId === 'missing-index');
    expect(f?.title).toBe('Missing index: CREATE INDEX ON posts (user_id, created_at DESC) WHERE deleted_at IS NULL');
    expect(f?.severity).toBe('CRITICAL');
    const [item] = report.details.wanted;
    expect(item?.coveredBy).toBe('posts_user_id_idx');
    expect(item?.proof?.method).toBe('hypopg');
    expect(item?.proof?.proven).toBe(true);
    expect(item?.proof?.after?.shape).toMatch(/^Limit > Index Scan using <\d+>btree_posts_user_id_created_at on posts$/);
    expect(item?.proof?.before?.shape).toContain('Sort');
  });

  it('leaves nothing behind: no index, no hypothetical index, no extension change', async () => {
    const r = await client.query("SELECT count(*)::int AS n FROM pg_indexes WHERE tablename = 'posts'");
    expect(r.rows[0].n).toBe(2); // posts_pkey, posts_user_id_idx
    const h = await client.query('SELECT count(*)::int AS n FROM hypopg_list_indexes');
    expect(h.rows[0].n).toBe(0);
  });

  it('reports a query that needs parameters not given, and unparseable SQL, as findings', async () => {
    const base = { description: 'x', runsIn: { service: 'user', trigger: 'file' } };
    const report = await auditSql(client, [
      { ...base, id: 'needs_params', sql: 'SELECT * FROM posts WHERE user_id = $1 AND id > $2', params: [] },
      { ...base, id: 'broken', sql: 'SELEC * FROM posts', params: [] },
    ], { ...SQL_OPTS, expectDataset: false });
    expect(report.findings.map((f) => [f.location, f.title])).toEqual([
      ['needs_params', 'Not audited: needs parameters not given'],
      ['broken', 'Not audited: unparseable SQL'],
    ]);
  });

  it('after migration 001, get_user_posts has nothing critical and wants no index', async () => {
    await client.query(upSection('001-posts-user-created-live.sql'));
    await client.query('ANALYZE posts');
    const sql = await auditSql(client, [QUERY_CATALOG.get('get_user_posts')], SQL_OPTS);
    expect(sql.findings.filter((f) => f.severity === 'CRITICAL')).toEqual([]);
    expect(sql.details[0]?.planShape).toBe('Limit > Index Scan using posts_user_created_live_idx on posts');
    const idx = await auditIndexes(client, [QUERY_CATALOG.get('get_user_posts')], IDX_OPTS);
    expect(idx.details.wanted.map((w) => [w.status, w.coveredBy])).toEqual([['covered', 'posts_user_created_live_idx']]);
  });

  it('with every migration, the optimized forms of the catalog have nothing critical', async () => {
    for (const file of readdirSync(MIGRATIONS).filter((f) => f.endsWith('.sql')).sort()) await client.query(upSection(file));
    await client.query('ANALYZE');
    const optimized = switchesFor('optimized');
    const forms = NAMED_QUERIES.filter((q) => !('usedWhen' in q) || queryForm(q.family, optimized).id === q.id);
    const report = await auditSql(client, forms, SQL_OPTS);
    expect(report.findings.filter((f) => f.severity === 'CRITICAL').map((f) => `${f.location}: ${f.title}`)).toEqual([]);
    expect(report.findings.filter((f) => f.checkId === 'audit-input')).toEqual([]);
  });
});

describe('audit as a user database sees it: a read-only role and the CLI', () => {
  let db: CreatedDatabase;
  let admin: pg.Client;
  let roUrl: string;

  beforeAll(async () => {
    db = await createDatabase(inject('stack'), 'audit_test_ro');
    admin = await connectDirect(db.url);
    await loadTestData(admin, { heavyPosts: 20_000, mediumPosts: 2_000, heavyMessages: 2_000, mediumMessages: 200, datasetInfo: false });
    // A login that may read posts and users only, and cannot write anything.
    await admin.query("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'audit_ro') THEN CREATE ROLE audit_ro LOGIN; END IF; END $$");
    await admin.query('GRANT SELECT ON posts, users TO audit_ro');
    await admin.query('ALTER ROLE audit_ro SET default_transaction_read_only = on');
    const u = new URL(db.url);
    u.username = 'audit_ro';
    roUrl = u.toString();
  });
  afterAll(async () => {
    await admin?.end();
    await db?.drop();
    // Roles are cluster-wide: remove ours once the only database it had grants in is gone.
    const c = await connectDirect(inject('stack').urls.postgres);
    await c.query('DROP ROLE IF EXISTS audit_ro').finally(() => c.end());
  });

  it('says exactly what the role may not read, and still audits what it may', async () => {
    const c = await connectDirect(roUrl);
    try {
      const report = await auditSql(c, [QUERY_CATALOG.get('get_user_posts'), QUERY_CATALOG.get('comments_by_post')], { timeoutMs: 10_000, analyzeWrites: false, expectDataset: true, target: 'ro' });
      expect(report.findings.find((f) => f.checkId === 'sort-under-limit')?.location).toBe('get_user_posts');
      const denied = report.findings.find((f) => f.location === 'comments_by_post');
      expect(denied?.title).toBe('Not audited: no representative parameter values');
      expect(denied?.problem).toMatch(/^permission denied \(permission denied for table comments\): grant the audit user SELECT on the tables it reads/);
      expect(report.findings.some((f) => f.checkId === 'dataset-info-missing')).toBe(true);
    } finally {
      await c.end();
    }
  });

  it('proves with HypoPG as a read-only role, and reports it cannot create the extension elsewhere', async () => {
    const c = await connectDirect(roUrl);
    try {
      const report = await auditIndexes(c, [QUERY_CATALOG.get('get_user_posts')], { ...IDX_OPTS, realIndexes: false, analyzeWrites: false, reportUnused: true, expectDataset: false });
      expect(report.details.hypopg).toBe('installed');
      expect(report.details.wanted[0]?.proof?.proven).toBe(true);
    } finally {
      await c.end();
    }
  });

  it('CLI: audits a folder of .sql files as JSON and exits 99 with --fail-on critical', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { spawnSync } = await import('node:child_process');
    const dir = mkdtempSync(join(tmpdir(), 'brink-audit-q-'));
    writeFileSync(join(dir, 'timeline.sql'), '-- $1: 1\nSELECT id, body FROM posts WHERE user_id = $1 AND deleted_at IS NULL ORDER BY created_at DESC LIMIT 20;\n');
    writeFileSync(join(dir, 'two.sql'), 'SELECT 1; SELECT 2;\n');
    const run = spawnSync(process.execPath, [join(PROJECT_ROOT, 'bin', 'brink.js'), 'audit', 'sql', '--database-url', roUrl, '--queries', dir, '--json', '--fail-on', 'critical'], { encoding: 'utf8', timeout: 120_000 });
    expect(run.status).toBe(99);
    const report = JSON.parse(run.stdout) as { findings: Array<{ location: string; checkId: string; severity: string; problem: string }> };
    expect(report.findings.find((f) => f.checkId === 'sort-under-limit')).toMatchObject({ location: 'timeline', severity: 'CRITICAL' });
    expect(report.findings.find((f) => f.location === 'two')?.problem).toBe('expected exactly one statement, found 2; put each query in its own file');
    expect(run.stderr).toContain('brink: 1 finding(s) at or above CRITICAL (--fail-on critical)');
  });

  it('CLI: an unreachable database is an error that names it, exit 104', async () => {
    const { spawnSync } = await import('node:child_process');
    const run = spawnSync(process.execPath, [join(PROJECT_ROOT, 'bin', 'brink.js'), 'audit', 'sql', '--database-url', 'postgres://nobody:secret@127.0.0.1:1/x'], { encoding: 'utf8', timeout: 60_000 });
    expect(run.status).toBe(104);
    expect(run.stderr).toMatch(/^brink: cannot connect to postgres:\/\/nobody:\*\*\*@127\.0\.0\.1:1\/x: /);
  });

  it("Little's law input: pg_stat_statements deltas attribute catalog calls to the service that runs them", async () => {
    const q = QUERY_CATALOG.get('get_user_profile');
    const before = await snapshotStatements(admin, 10_000);
    for (let i = 0; i < 25; i++) await admin.query(q.sql, [1]);
    const after = await snapshotStatements(admin, 10_000);
    if (!before.ok || !after.ok) throw new Error('pg_stat_statements missing in the stack');
    const { demand } = demandByService(statementDeltas(before.stats, after.stats), new Map([[q.sql, q.runsIn.service]]), 1_000);
    expect(demand.map((d) => [d.service, d.queriesPerSec])).toEqual([['user', 25]]);
    expect(demand[0]!.meanQueryMs).toBeGreaterThan(0);
  });
});
