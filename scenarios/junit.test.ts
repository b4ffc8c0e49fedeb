import { describe, expect, it } from 'vitest';
import { XMLParser } from 'fast-xml-parser';
import type { RunSummary } from '../core/index.ts';
import { junitXml } from './junit.ts';

describe('JUnit output', () => {
  it('writes one testcase per threshold, failures with the measured value', () => {
    const summary = {
      card: { scenario: 'feed', profile: 'smoke', engine: 'k6', durationMs: 10_000, startedAt: '2026-01-01T00:00:00.000Z' },
      thresholds: [
        { metric: 'http_req_duration{name:feed}', expression: 'p(99)<0.001', ok: false, actual: 12.5 },
        { metric: 'http_req_failed', expression: 'rate<0.001', ok: true, actual: 0 },
      ],
    } as unknown as RunSummary;
    const doc = new XMLParser({ ignoreAttributes: false }).parse(junitXml(summary));
    const suite = doc.testsuites.testsuite;
    expect(suite['@_tests']).toBe('2');
    expect(suite['@_failures']).toBe('1');
    expect(suite.testcase[0]['@_name']).toBe('http_req_duration{name:feed}: p(99)<0.001');
    expect(suite.testcase[0].failure['@_message']).toBe('http_req_duration{name:feed}: p(99)<0.001 failed (measured 12.5)');
    expect(suite.testcase[1].failure).toBeUndefined();
  });
});
