import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../core/index.ts';
import { buildModel } from './model.ts';
import { loadInputs } from './load.ts';
import { SECTIONS } from './sections/index.ts';
import { inputsWith, literalRun, phase } from './test-helpers.ts';

const finding = (severity: Finding['severity'], title = `${severity} thing`): Finding => ({
  checkId: 'c', severity, title, location: 'q', problem: 'p', impact: 'i', fix: 'f', explanation: 'e',
});

describe('the report model', () => {
  it('says DO NOT DEPLOY with the count of CRITICAL findings', () => {
    const m = buildModel(inputsWith({ findings: [finding('CRITICAL'), finding('CRITICAL'), finding('HIGH')] }));
    expect(m.derived.verdict.text).toBe('DO NOT DEPLOY: 2 CRITICAL');
    expect(m.derived.verdict.reasons).toContain('1 HIGH finding(s)');
  });

  it('says DEPLOY WITH CAUTION when only HIGH findings and failed SLIs remain', () => {
    const run = literalRun('r', { thresholds: [{ metric: 'http_req_duration', expression: 'p(99)<500', ok: false, actual: 612 }] });
    const m = buildModel(inputsWith({ runs: [run], findings: [finding('HIGH')] }));
    expect(m.derived.verdict.text).toBe('DEPLOY WITH CAUTION: 1 HIGH, 1 SLI FAILED');
  });

  it('never says READY for a complete assessment that holds no scenario run', () => {
    const meta = { title: 't', startedAt: '2026-01-01T00:00:00Z', profile: 'smoke', scale: 'small', complete: true, steps: [], gitSha: 'x' };
    const m = buildModel(inputsWith({ assessments: [meta], claims: [{ id: 'NV-1', claim: 'c', method: 'm', measured: '1', verdict: 'CONFIRMED', reason: 'r' }] }));
    expect(m.derived.verdict.text).not.toMatch(/^READY/);
    expect(m.derived.verdict.text).toMatch(/^INCOMPLETE/);
  });

  it('says NO DATA for empty inputs, and every section says plainly that it has nothing', () => {
    const m = buildModel(inputsWith({}));
    expect(m.derived.verdict.text).toBe('NO DATA');
    for (const s of SECTIONS.all().filter((x) => !['executive-summary', 'inputs', 'compare'].includes(x.id))) {
      const blocks = s.render(m);
      expect(blocks.map((b) => b.kind), s.id).toContain('empty');
    }
    expect(m.derived.areas.every((a) => a.score === null)).toBe(true);
  });

  it('finds the safe throughput as the fastest phase meeting the P99 target with under 1% errors', () => {
    const run = literalRun('r', {
      thresholds: [{ metric: 'http_req_duration', expression: 'p(99)<500', ok: false, actual: 900 }],
      phases: [phase('warm', 100, 50), phase('load', 200, 300), phase('errors', 250, 200, 20), phase('stress', 300, 900)],
    });
    const [row] = buildModel(inputsWith({ runs: [run] })).derived.scenarios;
    expect(row!.safeThroughputPerSec).toBe(200);
    expect(row!.p99TargetMs).toBe(500);
    expect(row!.failureMode).toBe('errors 2.00% in phase "errors" at 250 req/s');
  });

  it('reports no safe throughput when no phase met the target', () => {
    const run = literalRun('r', { scenario: 'chat-burst', phases: [phase('a', 100, 150)] });
    const [row] = buildModel(inputsWith({ runs: [run] })).derived.scenarios;
    expect(row!.p99TargetMs).toBe(100);
    expect(row!.safeThroughputPerSec).toBeNull();
    expect(row!.failureMode).toBe('P99 150 ms > 100 ms in phase "a" at 100 req/s');
  });

  it('builds current-vs-optimized capacity rows from a baseline and an optimized run of one scenario', () => {
    const b = literalRun('b', { p99: 1500, ratePerSec: 200, errorRate: 0.02, phases: [phase('x', 200, 1500)] });
    const o = literalRun('o', { variant: 'optimized', p99: 300, ratePerSec: 2000, errorRate: 0.001, phases: [phase('x', 2000, 300)] });
    const rows = buildModel(inputsWith({ runs: [b, o] })).derived.capacity;
    expect(rows.find((r) => r.metric === 'P99 response time')).toEqual({ scenario: 'feed', metric: 'P99 response time', current: '1500 ms', optimized: '300 ms', change: '5.0x better' });
    expect(rows.find((r) => r.metric === 'Peak achieved throughput')!.change).toBe('10.0x better');
    expect(rows.find((r) => r.metric === 'Error rate')).toMatchObject({ current: '2.00%', optimized: '0.10%', change: '20.0x better' });
    expect(rows.some((r) => r.metric === 'Database connections (peak)')).toBe(false);
  });

  it('derives P0 from CRITICAL, P1 from HIGH and failed SLIs, P2 from MEDIUM/LOW and refuted claims, and skips INFO', () => {
    const run = literalRun('r', { thresholds: [{ metric: 'm', expression: 'p(95)<1', ok: false, actual: 2 }] });
    const m = buildModel(inputsWith({
      runs: [run],
      findings: [finding('INFO'), finding('LOW'), finding('CRITICAL'), finding('HIGH')],
      claims: [{ id: 'NF-7', claim: 'c', method: 'm', measured: '2,150 req/s', verdict: 'REFUTED', reason: 'r' }, { id: 'NF-4', claim: 'c', method: 'm', measured: 'x', verdict: 'CONFIRMED', reason: 'r' }],
    }));
    expect(m.derived.actions.map((a) => `${a.priority} ${a.source}`)).toEqual([
      'P0 finding c', 'P1 finding c', 'P1 threshold', 'P2 finding c', 'P2 claim NF-7',
    ]);
  });

  it('lists a Nova SLI no run could measure as NOT MEASURED, once', () => {
    const m = buildModel(inputsWith({ runs: [literalRun('a', { endpoints: ['feed'] }), literalRun('b', { endpoints: ['feed'] })] }));
    const search = m.derived.slis.filter((s) => s.sli === 'Search P99');
    expect(search).toEqual([{ run: '-', sli: 'Search P99', target: '< 1 s', measured: 'no run measured it', status: 'NOT MEASURED', source: 'nova-sli' }]);
    expect(m.derived.slis.filter((s) => s.sli === 'Feed P99 latency').map((s) => s.status)).toEqual(['PASS', 'PASS']);
  });
});

describe('a clean audit', () => {
  it('rates the database 10/10 and is READY when audit/findings.json exists but is empty', () => {
    const dir = mkdtempSync(join(tmpdir(), 'brink-clean-audit-'));
    try {
      mkdirSync(join(dir, 'audit'));
      writeFileSync(join(dir, 'audit', 'findings.json'), '[]');
      const m = buildModel(loadInputs([dir]));
      expect(m.derived.areas.find((a) => a.area === 'Database')).toEqual({ area: 'Database', score: 10, summary: 'no problems found' });
      expect(m.derived.verdict.text).toBe('READY: no blocker found');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
