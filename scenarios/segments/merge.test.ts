/**
 * Merging: two encoded histograms merge into one histogram of all samples; segments merge into the
 * whole run's result with thresholds evaluated once on the merged data; parts that do not belong
 * together are refused, naming both; k6 CSV output of several runners merges the same way.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createHistogram, decode, encode, merge, recordMs, type RunCard } from '../../core/index.ts';
import { LoadEngine, phasesOf } from '../engine/engine.ts';
import type { Plan } from '../k6/lib/plans.js';
import { parseThresholds } from '../thresholds.ts';
import type { SetupData, ThresholdsSpec } from '../types.ts';
import { mergeK6Csv, mergeSegmentResults } from './merge.ts';
import { planHash, type SegmentResult } from './result.ts';
import { stripeOf } from './stripe.ts';
import { syntheticScenario } from './testing/synthetic-scenario.ts';

const data: SetupData = { baseUrl: 'http://127.0.0.1:9', users: [], heavyUsers: [], conversations: [], searchTerms: { selective: [], broad: [] }, dataset: 'none' };
// VU v records v ms: 100 VUs, 2 iterations each; P99 of all samples is 99 ms, of odd VUs alone 99, of even 98…
const plan: Plan = { scenario: { executor: 'per-vu-iterations', vus: 100, iterations: 2, maxDuration: '10s' }, thresholds: {} };

/** Deterministic pseudo-random latencies (a log-normal-ish tail). */
function samples(seed: number, n: number): number[] {
  let x = seed;
  return Array.from({ length: n }, () => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    const u = x / 2 ** 31;
    return 0.2 + Math.exp(u * 8) / 10;
  });
}

async function segment(index: number, count: number, thresholds: ThresholdsSpec, over: Partial<SegmentResult> = {}): Promise<{ file: string; r: SegmentResult }> {
  const e = await new LoadEngine().run({ scenario: syntheticScenario, plan, data, stripe: stripeOf({ index, count }), submetrics: parseThresholds(thresholds).map((t) => t.metric) });
  const card = { runId: 'run-1', scenario: 'synthetic', profile: 'smoke', engine: 'node', startedAt: e.startedAt, durationMs: e.durationMs, segment: { index, count } } as RunCard;
  const r: SegmentResult = {
    kind: 'brink-segment', version: 1, runId: 'run-1', scenario: 'synthetic', profile: 'smoke', timeScale: 1, planHash: planHash(plan),
    thresholds, segment: { index, count }, phaseDefs: phasesOf(plan), card, status: 'passed', notes: [], state: e.state, ...over,
  };
  return { file: `seg${index}/segment.json`, r };
}

describe('merging HDR histograms', () => {
  it('two encoded histograms decode and merge into the histogram of all samples', () => {
    const a = samples(1, 5000);
    const b = samples(2, 7000);
    const [ha, hb, hall] = [createHistogram(), createHistogram(), createHistogram()];
    a.forEach((v) => (recordMs(ha, v), recordMs(hall, v)));
    b.forEach((v) => (recordMs(hb, v), recordMs(hall, v)));
    const merged = merge(decode(encode(ha)), decode(encode(hb)));
    expect(merged.totalCount).toBe(12_000);
    for (const p of [0, 1, 50, 90, 99, 99.9, 99.99, 100]) expect(merged.getValueAtPercentile(p), `p${p}`).toBe(hall.getValueAtPercentile(p));
    expect(encode(merged)).toBe(encode(decode(encode(hall))));
  });
});

describe('brink merge of segment results', () => {
  // A merged max is its HDR bucket's upper edge (exact to 3 significant digits): 100 ms reads 100.031.
  const thresholds = { http_req_duration: ['p(99)<99', 'p(50)<60'], 'http_req_duration{name:even}': ['max<=100.1'] };

  it('gives the whole run: counts summed, percentiles from merged histograms, thresholds evaluated once', async () => {
    const whole = await new LoadEngine().run({ scenario: syntheticScenario, plan, data, submetrics: parseThresholds(thresholds).map((t) => t.metric) });
    const parts = await Promise.all([segment(1, 2, thresholds), segment(2, 2, thresholds)]);
    // Alone, segment 2 (even VUs, 2..100 ms) would have P99 100; segment 1 (odd, 1..99) 99.
    const m = mergeSegmentResults(parts);
    expect(m.summary.totals.requests).toBe(200);
    expect(m.summary.totals.latencyMs.p99).toBe(whole.totals.latencyMs.p99);
    expect(m.summary.totals.latencyMs.p50).toBe(whole.totals.latencyMs.p50);
    expect(m.summary.endpoints.map((e) => [e.name, e.requests]).sort()).toEqual([['even', 100], ['odd', 100]]);
    expect(m.summary.thresholds.map((t) => [t.metric, t.expression, t.ok])).toEqual([
      ['http_req_duration', 'p(99)<99', false],
      ['http_req_duration', 'p(50)<60', true],
      ['http_req_duration{name:even}', 'max<=100.1', true],
    ]);
    expect(m.summary.thresholds[0]!.actual).toBe(whole.totals.latencyMs.p99);
    expect(m.summary.status).toBe('failed');
    expect(m.summary.card).toMatchObject({ runId: 'run-1', merged: { parts: 2, from: 'brink-segments' } });
    expect(m.summary.card.segment).toBeUndefined();
    expect(m.summary.timeSeries.reduce((a, p) => a + p.requests, 0)).toBe(200);
    expect(decode(m.histograms.all!).totalCount).toBe(200);
  });

  it('refuses parts of another run, scenario or plan, a segment twice, and a missing one', async () => {
    const [a, b] = await Promise.all([segment(1, 2, thresholds), segment(2, 2, thresholds)]);
    const other = { file: 'x/segment.json', r: { ...b.r, runId: 'run-2' } };
    expect(() => mergeSegmentResults([a, other])).toThrow('segment results do not belong together: run id "run-2" in x/segment.json but "run-1" in seg1/segment.json');
    expect(() => mergeSegmentResults([a, { file: 'x', r: { ...b.r, scenario: 'feed' } }])).toThrow(/^segment results do not belong together: scenario "feed" in x/);
    expect(() => mergeSegmentResults([a, { file: 'x', r: { ...b.r, planHash: 'ffff', timeScale: 0.5 } }])).toThrow(/^segment results do not belong together: plan "ffff \(time scale 0.5\)"/);
    expect(() => mergeSegmentResults([a, { file: 'again', r: a.r }])).toThrow('segment 1/2 appears twice: seg1/segment.json and again');
    expect(() => mergeSegmentResults([a])).toThrow('segments 2/2 of run run-1 are missing; pass every segment\'s result (1 of 2 given)');
  });
});

describe('brink merge of k6 CSV output', () => {
  const header = 'metric_name,timestamp,metric_value,check,error,error_code,expected_response,group,method,name,proto,scenario,service,status,subproto,tls_version,url,extra_tags,metadata';
  const row = (metric: string, ts: number, v: number, name: string, run = 'r1') =>
    `${metric},${ts},${v},,,,true,,GET,${name},HTTP/1.1,feed,,200,,,"http://127.0.0.1/api/feed?a=1,2",brink_run=${run}&brink_scenario=feed&brink_profile=load&brink_time_scale=0.1,`;

  it('merges runners into one summary with the scenario\'s thresholds', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'brink-csv-'));
    const lat = samples(3, 400);
    const rows = (from: number, to: number, t0: number) => lat.slice(from, to).flatMap((v, i) => [row('http_req_duration', t0 + Math.floor(i / 50), v, 'feed'), row('http_reqs', t0 + Math.floor(i / 50), 1, 'feed'), row('http_req_failed', t0 + Math.floor(i / 50), 0, 'feed')]);
    writeFileSync(join(dir, 'runner-1.csv'), [header, ...rows(0, 200, 1_700_000_000)].join('\n'));
    writeFileSync(join(dir, 'runner-2.csv'), [header, ...rows(200, 400, 1_700_000_001)].join('\n'));
    const m = await mergeK6Csv([join(dir, 'runner-1.csv'), join(dir, 'runner-2.csv')]);
    const all = createHistogram();
    lat.forEach((v) => recordMs(all, v));
    expect(m.summary.totals.requests).toBe(400);
    expect(m.summary.metrics['http_req_duration{name:feed}']).toMatchObject({ type: 'trend', values: { count: 400, p99: all.getValueAtPercentile(99) / 1000 } });
    expect(m.summary.thresholds.map((t) => [t.metric, t.expression])).toEqual([['http_req_duration{name:feed}', 'p(99)<500'], ['http_req_failed', 'rate<0.001']]);
    expect(m.summary.card).toMatchObject({ runId: 'r1', engine: 'k6', merged: { parts: 2, from: 'k6-csv' } });
    expect(m.summary.timeSeries[1]!.requests).toBe(100);

    writeFileSync(join(dir, 'other.csv'), [header, row('http_reqs', 1_700_000_000, 1, 'feed', 'r2')].join('\n'));
    await expect(mergeK6Csv([join(dir, 'runner-1.csv'), join(dir, 'other.csv')])).rejects.toThrow(`k6 CSV files do not belong together: runId "r2" in ${join(dir, 'other.csv')} but "r1" in ${join(dir, 'runner-1.csv')}`);
  });
});
