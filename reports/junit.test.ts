import { describe, expect, it } from 'vitest';
import { XMLParser } from 'fast-xml-parser';
import { buildModel } from './model.ts';
import { renderJunit } from './junit.ts';
import { inputsWith, literalRun } from './test-helpers.ts';
import { fixtureChaos } from './fixtures/realistic.ts';

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => ['testsuite', 'testcase'].includes(name) });

interface Case { classname: string; name: string; failure?: { message: string }; skipped?: unknown }
interface Suite { name: string; tests: string; failures: string; skipped: string; testcase: Case[] }

describe('junit.xml', () => {
  const passing = literalRun('ok-run', { thresholds: [{ metric: 'http_req_duration', expression: 'p(99)<500', ok: true, actual: 120 }] });
  const failing = literalRun('bad-run', {
    endpoints: ['feed'], p99: 700,
    thresholds: [
      { metric: 'http_req_duration', expression: 'p(99)<500', ok: false, actual: 700 },
      { metric: 'http_req_failed', expression: 'rate<0.01', ok: false, actual: 0.05 },
      { metric: 'checks', expression: 'rate>0.99', ok: true, actual: 1 },
    ],
  });
  const model = buildModel(inputsWith({
    runs: [passing, failing],
    claims: [
      { id: 'NF-4', claim: 'gzip <smaller>', method: 'm', measured: '71%', verdict: 'CONFIRMED', reason: 'r' },
      { id: 'NF-7', claim: 'c', method: 'm', measured: '2,150 req/s', verdict: 'REFUTED', reason: 'below 10,000' },
      { id: 'CP-10', claim: 'c', method: 'm', measured: '-', verdict: 'NOT MEASURABLE HERE', reason: 'cluster' },
    ],
    chaos: fixtureChaos(failing.summary),
    assessments: [{ title: 'T & "q"', startedAt: 's', profile: 'smoke', scale: 'small', complete: true, steps: [], gitSha: 'g' }],
  }));
  const doc = parser.parse(renderJunit(model)) as { testsuites: { tests: string; failures: string; testsuite: Suite[] } };
  const suites = doc.testsuites.testsuite;

  it('has one testsuite per run and one for the assessment', () => {
    expect(suites.map((s) => s.name)).toEqual(['run ok-run (feed, baseline)', 'run bad-run (feed, baseline)', 'assessment T & "q"']);
  });

  it('lists a failure for each failed threshold, with the measured value', () => {
    const bad = suites[1]!;
    const failed = bad.testcase.filter((c) => c.classname === 'threshold' && c.failure);
    expect(failed.map((c) => c.failure!.message)).toEqual([
      'threshold http_req_duration p(99)<500 failed: measured 700',
      'threshold http_req_failed rate<0.01 failed: measured 0.05',
    ]);
    expect(bad.testcase.find((c) => c.name === 'checks: rate>0.99')!.failure).toBeUndefined();
    expect(suites[0]!.failures).toBe('0');
  });

  it('fails Nova SLIs, refuted claims and failed chaos hypotheses, and skips what was not measured', () => {
    const bad = suites[1]!;
    expect(bad.testcase.find((c) => c.name === 'Feed P99 latency < 500 ms')!.failure!.message).toBe('SLI Feed P99 latency < 500 ms failed: measured 700 ms');
    const a = suites[2]!;
    expect(a.testcase.filter((c) => c.failure).map((c) => c.name)).toEqual([
      'NF-7: c', 'during: feed keeps answering (errors < 5%) during the fault',
    ]);
    expect(a.testcase.find((c) => c.name === 'CP-10: c')!.skipped).toBeDefined();
    expect(a.testcase.find((c) => c.name === 'NF-4: gzip <smaller>')!.failure).toBeUndefined();
    expect(Number(doc.testsuites.failures)).toBe(suites.reduce((s, x) => s + Number(x.failures), 0));
    expect(Number(doc.testsuites.failures)).toBe(2 + 2 + 2);
  });
});
