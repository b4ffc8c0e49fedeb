import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadInputs, toPoolView } from './load.ts';
import { poolBudget, referenceDeployment, type PoolBudget } from '../analyzers/index.ts';
import { writeAssessmentFixture, DEFAULT_SCENARIOS, FIXTURE_CLAIMS, FIXTURE_FINDINGS } from './fixtures/realistic.ts';

describe('reading run and assessment directories', () => {
  let tmp: string;
  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'brink-report-load-'));
    writeAssessmentFixture(join(tmp, 'a'), { durationS: 10, scenarios: DEFAULT_SCENARIOS.slice(0, 1) });
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('reads every part of an assessment, with the percentile spectrum decoded from the HDR histograms', () => {
    const inputs = loadInputs([join(tmp, 'a')]);
    expect(inputs.problems).toEqual([]);
    expect(inputs.runs.map((r) => r.label)).toEqual(['runs/feed-baseline', 'runs/feed-optimized']);
    expect(inputs.findings).toHaveLength(FIXTURE_FINDINGS.length);
    expect(inputs.claims.map((c) => c.id)).toEqual(FIXTURE_CLAIMS.map((c) => c.id));
    expect(inputs.chaos.map((c) => c.experiment)).toEqual(['postgres-latency', 'redis-down']);
    expect(inputs.pools).toMatchObject({ total: 90, limit: 100, limitName: 'pgbouncer max_db_connections' });
    expect(inputs.explains.map((e) => e.query)).toEqual(['get_user_posts', 'get_message_history']);
    const spectrum = inputs.runs[0]!.spectra['http_req_duration']!;
    expect(spectrum.map((p) => p.percentile)).toContain(99.9);
    // The spectrum is monotonic and its P99 matches the run's own P99 (both come from the same histogram).
    expect(spectrum.every((p, i) => i === 0 || p.ms >= spectrum[i - 1]!.ms)).toBe(true);
    expect(spectrum.find((p) => p.percentile === 99)!.ms).toBe(inputs.runs[0]!.summary.totals.latencyMs.p99);
  });

  it('reads a run directory given directly', () => {
    const inputs = loadInputs([join(tmp, 'a', 'runs', 'feed-optimized')]);
    expect(inputs.sources).toEqual([{ dir: join(tmp, 'a', 'runs', 'feed-optimized'), kind: 'run', read: ['summary.json', 'histograms.json'] }]);
    expect(inputs.runs[0]!.label).toBe('feed-optimized');
  });

  it('turns unreadable or malformed files into problems instead of failing', () => {
    const d = join(tmp, 'broken');
    mkdirSync(join(d, 'audit'), { recursive: true });
    mkdirSync(join(d, 'runs', 'bad'), { recursive: true });
    writeFileSync(join(d, 'claims.json'), '{"not": "an array"}');
    writeFileSync(join(d, 'audit', 'findings.json'), JSON.stringify([{ checkId: 'x', severity: 'SEVERE', title: 't', location: 'l' }]));
    writeFileSync(join(d, 'audit', 'pools.json'), JSON.stringify({ rows: 'none' }));
    writeFileSync(join(d, 'runs', 'bad', 'summary.json'), '{');
    const inputs = loadInputs([d]);
    expect(inputs.runs).toEqual([]);
    expect(inputs.problems).toHaveLength(4);
    expect(inputs.problems[0]).toMatch(/^runs\/bad\/summary.json: not valid JSON/);
    expect(inputs.problems).toContain('claims.json: expected an array');
    expect(inputs.problems.find((p) => p.startsWith('audit/findings.json[0]: '))).toContain('severity');
    expect(inputs.problems.find((p) => p.startsWith('audit/pools.json: not a pool budget ('))).toContain('rows');
  });

  it('refuses a path that is not a directory, or a directory that is neither a run nor an assessment', () => {
    expect(() => loadInputs([join(tmp, 'missing')])).toThrow(`report input "${join(tmp, 'missing')}" is not a directory`);
    mkdirSync(join(tmp, 'empty'));
    expect(() => loadInputs([join(tmp, 'empty')])).toThrow(/holds neither summary.json nor an assessment/);
  });

  it('reads the analyzers\' PoolBudget as they write it', () => {
    const budget: PoolBudget = poolBudget(referenceDeployment({ pgbouncer: { poolMode: 'transaction', defaultPoolSize: 20, maxDbConnections: 100, maxClientConn: 1000 } }));
    expect(budget.limit).toBe(100);
    const view = toPoolView(JSON.parse(JSON.stringify(budget)));
    expect(typeof view).toBe('object');
    const v = view as Exclude<typeof view, string>;
    expect(v.total).toBe(budget.total);
    expect(v.limit).toBe(budget.limit ?? null);
    expect(v.rows.map((r) => [r.service, r.total])).toEqual(budget.rows.map((r) => [r.service, r.total]));
    expect(v.limitName).toBe(budget.limitSource);
  });

  it('reads the pool budget under other spellings of its fields, and without a known limit', () => {
    expect(toPoolView({ services: [{ name: 'feed', replicas: 2, poolSize: 10, timeoutMs: 5000 }] })).toEqual({
      rows: [{ service: 'feed', replicas: 2, poolsPerReplica: 1, poolMax: 10, timeoutMs: 5000, total: 20 }], total: 20, limit: null, limitName: 'no known limit', flags: [],
    });
  });
});
