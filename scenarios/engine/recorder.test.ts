import { describe, expect, it } from 'vitest';
import { decode } from '../../core/index.ts';
import { parseMetricKey } from '../thresholds.ts';
import { K6RawReader } from '../k6-raw.ts';
import { Recorder } from './recorder.ts';

const ok = (name: string, status = '200') => ({ name, status, expected_response: 'true' });

describe('Recorder', () => {
  it('groups requests by endpoint and phase, and counts errors per endpoint', () => {
    const r = new Recorder({ phases: [{ name: 'a', startMs: 0, endMs: 1000 }, { name: 'b', startMs: 1000, endMs: 2000 }] });
    r.add('http_req_duration', 10, ok('feed'), 100);
    r.add('http_req_duration', 30, ok('feed'), 1500);
    r.add('http_req_duration', 500, { name: 'search', status: '500', expected_response: 'false' }, 1600);
    r.add('chat_failed', 1, { name: 'message:send' }, 1700);
    const f = r.finish(2000);
    expect(f.endpoints.map((e) => [e.name, e.requests, e.errors, e.statusCounts])).toEqual([
      ['feed', 2, 0, { 200: 2 }],
      ['search', 1, 1, { 500: 1 }],
      ['message:send', 1, 1, { error: 1 }],
    ]);
    expect(f.phases.map((p) => [p.name, p.requests, p.errors])).toEqual([['a', 1, 0], ['b', 3, 2]]);
    expect(f.totals).toMatchObject({ requests: 4, errors: 2, errorRate: 0.5, ratePerSec: 2 });
    expect(f.metrics['http_req_duration{name:feed}']).toMatchObject({ type: 'trend', values: { count: 2, max: 30 } });
  });

  it('tracks tag-filtered submetrics the thresholds ask for', () => {
    const r = new Recorder({ submetrics: [parseMetricKey('http_req_duration{kind:search}')] });
    r.add('http_req_duration', 5, { ...ok('feed') }, 0);
    r.add('http_req_duration', 700, { ...ok('search_posts'), kind: 'search' }, 0);
    const f = r.finish(1000);
    expect(f.metrics['http_req_duration{kind:search}']).toMatchObject({ values: { count: 1, max: 700 } });
    expect(r.lookup('http_req_duration{kind:search}', { source: '', aggregation: 'p(50)', percentile: 50, operator: '<', value: 0 })).toBe(700.415);
  });

  it('keeps a 1 s time series with empty seconds filled', () => {
    const r = new Recorder();
    r.add('http_req_duration', 1, ok('a'), 100);
    r.add('http_req_duration', 2, ok('a'), 150);
    r.add('vus', 3, {}, 200);
    r.add('http_req_duration', 3, ok('a'), 2500);
    const f = r.finish(3000);
    expect(f.timeSeries.map((p) => [p.tMs, p.requests, p.vus])).toEqual([[0, 2, 3], [1000, 0, undefined], [2000, 1, undefined], [3000, 0, undefined]]);
  });

  it('merges by histogram: the encoded endpoint histogram holds every sample', () => {
    const r = new Recorder();
    for (let i = 1; i <= 1000; i++) r.add('http_req_duration', i, ok('x'), 0);
    const f = r.finish(1000);
    const h = decode(f.histograms['endpoint:x']!);
    expect(h.totalCount).toBe(1000);
    expect(f.endpoints[0]!.latencyMs.p99).toBe(990.207);
  });

  it("reads k6's raw JSON lines, learning each metric's type from its Metric line", () => {
    const r = new Recorder();
    const reader = new K6RawReader('/nonexistent', r);
    reader.line('{"type":"Metric","data":{"name":"http_req_blocked","type":"trend","contains":"time","thresholds":[],"submetrics":null},"metric":"http_req_blocked"}');
    reader.line('{"metric":"http_req_duration","type":"Point","data":{"time":"2026-11-23T18:43:16.749191047Z","value":43.25,"tags":{"expected_response":"true","name":"feed","status":"200","scenario":"feed"}}}');
    reader.line('{"metric":"http_req_blocked","type":"Point","data":{"time":"2026-11-23T18:43:17.749191047Z","value":2,"tags":{}}}');
    const f = r.finish(2000);
    expect(f.endpoints).toMatchObject([{ name: 'feed', requests: 1 }]);
    expect(f.metrics.http_req_blocked).toMatchObject({ type: 'trend' });
    expect(reader.lastMs).toBe(1000);
  });
});
