/**
 * Audit bench (prints figures; asserts nothing):
 * 1. Time of a full audit (sql + indexes) of the catalog on a medium dataset: a database seeded
 *    with `brink seed --scale medium` (goal: under 30 s). Falls back to the analyzers' generated
 *    data when the seed fails, and says so.
 * 2. NV-1 and NV-2 measured: get_user_posts and get_message_history at 10,000 and 100,000 rows
 *    per user/conversation, baseline vs with migration 001/002, side by side (median and p95 of
 *    30 timed executions after 3 warm-ups, client-side wall time through a direct connection).
 * Needs a running stack: `brink stack up --no-platform`. Usage: node bin/run-ts.js bench/audit.bench.ts
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type pg from 'pg';
import { PROJECT_ROOT } from '../core/index.ts';
import { auditIndexes, auditSql, connectDirect, countBySeverity, safeExplain, loadTestData } from '../analyzers/index.ts';
import { NAMED_QUERIES, SQL } from '../sql-audit/index.ts';
import { createDatabase, readStackState } from '../stack/index.ts';

const REPS = 30;
const WARMUP = 3;

function upSection(file: string): string {
  const text = readFileSync(join(PROJECT_ROOT, 'sql-audit', 'migrations', file), 'utf8');
  return text.split(/^-- down$/m)[0]!.split(/^-- up$/m)[1]!;
}

interface Timing {
  medianMs: number;
  p95Ms: number;
  /** Median of EXPLAIN ANALYZE "Execution Time": server-side, free of client and scheduling noise. */
  serverMedianMs: number;
}

async function timeQuery(c: pg.Client, sql: string, values: unknown[]): Promise<Timing> {
  const name = `bench_${Math.random().toString(36).slice(2, 8)}`;
  const times: number[] = [];
  for (let i = 0; i < WARMUP + REPS; i++) {
    const t0 = process.hrtime.bigint();
    await c.query({ name, text: sql, values });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (i >= WARMUP) times.push(ms);
  }
  times.sort((a, b) => a - b);
  const server: number[] = [];
  for (let i = 0; i < 10; i++) {
    server.push((await safeExplain(c, sql, values, { analyze: true, timeoutMs: 60_000 }))['Execution Time'] ?? Number.NaN);
  }
  server.sort((a, b) => a - b);
  return { medianMs: times[Math.floor(times.length / 2)]!, p95Ms: times[Math.floor(times.length * 0.95)]!, serverMedianMs: server[5]! };
}

const state = readStackState();
const f = (n: number) => n.toFixed(2).padStart(9);

// 1. Full audit on medium.
{
  const db = await createDatabase(state, 'audit_bench_medium');
  let source = 'brink seed --scale medium';
  const t0 = Date.now();
  try {
    execFileSync(process.execPath, [join(PROJECT_ROOT, 'bin', 'brink.js'), 'seed', '--scale', 'medium', '--database-url', db.url], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 900_000 });
  } catch (e) {
    source = `generated data (seed failed: ${String((e as { stderr?: Buffer }).stderr ?? e).trim().split('\n').pop()})`;
    const c = await connectDirect(db.url);
    await loadTestData(c, { heavyPosts: 100_000, mediumPosts: 10_000, heavyMessages: 100_000, mediumMessages: 10_000, datasetInfo: true });
    await c.end();
  }
  const loadMs = Date.now() - t0;
  const c = await connectDirect(db.url);
  const paramCache = new Map();
  const t1 = Date.now();
  const sql = await auditSql(c, NAMED_QUERIES, { timeoutMs: 10_000, analyzeWrites: true, expectDataset: true, target: db.name, paramCache });
  const t2 = Date.now();
  const idx = await auditIndexes(c, NAMED_QUERIES, { timeoutMs: 10_000, realIndexes: true, analyzeWrites: true, reportUnused: false, expectDataset: true, target: db.name, paramCache });
  const t3 = Date.now();
  await c.end();
  await db.drop();
  console.log(`Full audit of ${NAMED_QUERIES.length} catalog queries on ${source} (loaded in ${(loadMs / 1000).toFixed(1)} s):`);
  console.log(`  audit sql      ${((t2 - t1) / 1000).toFixed(1)} s   findings ${JSON.stringify(countBySeverity(sql.findings))}`);
  console.log(`  audit indexes  ${((t3 - t2) / 1000).toFixed(1)} s   findings ${JSON.stringify(countBySeverity(idx.findings))}`);
  console.log(`  total          ${((t3 - t1) / 1000).toFixed(1)} s   (goal < 30 s)`);
  const slow = [...sql.details].sort((a, b) => (b.executionMs ?? 0) - (a.executionMs ?? 0)).slice(0, 5);
  console.log(`  slowest plans: ${slow.map((d) => `${d.queryId} ${d.executionMs?.toFixed(1)} ms`).join(', ')}`);
  const costly = [...sql.details].sort((a, b) => b.auditMs - a.auditMs).slice(0, 5);
  console.log(`  most audit time (picks + EXPLAIN): ${costly.map((d) => `${d.queryId} ${(d.auditMs / 1000).toFixed(1)} s`).join(', ')}`);
  const proofs = idx.details.wanted.filter((w) => w.proof).map((w) => `${w.queryId}: ${w.proof!.method} ${w.proof!.proven ? 'proven' : 'unproven'}`);
  console.log(`  index proofs: ${proofs.join('; ')}`);
}

// 2. NV-1 / NV-2 side by side.
{
  const db = await createDatabase(state, 'audit_bench_nv');
  const c = await connectDirect(db.url);
  await loadTestData(c, { heavyPosts: 100_000, mediumPosts: 10_000, heavyMessages: 100_000, mediumMessages: 10_000, datasetInfo: true });
  // User/conversation 2 has 10,000 rows, 1 has 100,000 (analyzers/test-data.ts).
  const cases = [
    { claim: 'NV-1', query: 'get_user_posts', sql: SQL.get_user_posts, migration: '001-posts-user-created-live.sql', runs: [{ rows: 10_000, values: [2] }, { rows: 100_000, values: [1] }] },
    { claim: 'NV-2', query: 'get_message_history', sql: SQL.get_message_history, migration: '002-messages-conversation-created.sql', runs: [{ rows: 10_000, values: [2, 50, 0] }, { rows: 100_000, values: [1, 50, 0] }] },
  ];
  const before = new Map<string, Timing>();
  for (const k of cases) for (const r of k.runs) before.set(`${k.claim}/${r.rows}`, await timeQuery(c, k.sql, r.values));
  for (const k of cases) await c.query(upSection(k.migration));
  await c.query('ANALYZE');
  console.log(`\nNV-1 / NV-2: client wall time median (p95) of ${REPS} executions, and server Execution Time median of 10 EXPLAIN ANALYZE, ms:`);
  console.log('claim  query                 rows/entity   baseline median (p95) server   optimized median (p95) server   speed-up client/server');
  for (const k of cases) {
    for (const r of k.runs) {
      const b = before.get(`${k.claim}/${r.rows}`)!;
      const a = await timeQuery(c, k.sql, r.values);
      console.log(`${k.claim.padEnd(6)} ${k.query.padEnd(21)} ${String(r.rows).padStart(11)}   ${f(b.medianMs)} (${f(b.p95Ms)}) ${f(b.serverMedianMs)}   ${f(a.medianMs)} (${f(a.p95Ms)}) ${f(a.serverMedianMs)}   ${(b.medianMs / a.medianMs).toFixed(0)}x / ${(b.serverMedianMs / a.serverMedianMs).toFixed(0)}x`);
    }
  }
  await c.end();
  await db.drop();
}
