/**
 * `brink merge`, `brink k8s manifest` and the segment flags of `brink run` through the real CLI:
 * bad input is one line naming the value, exit 104, before anything is run; merging two segment
 * results writes one run directory and exits 99 when a threshold fails on the merged data.
 */
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../test/cli.ts';
import { LoadEngine, phasesOf } from '../../scenarios/engine/engine.ts';
import type { Plan } from '../../scenarios/k6/lib/plans.js';
import { planHash, writeSegmentResult } from '../../scenarios/segments/result.ts';
import { stripeOf } from '../../scenarios/segments/stripe.ts';
import { syntheticScenario } from '../../scenarios/segments/testing/synthetic-scenario.ts';
import type { RunCard } from '../../core/index.ts';

describe('segment commands in the CLI', () => {
  it('refuses a segment that is not i/N, --instances with --segment, and merge without --out (exit 104, one line)', async () => {
    const [seg, both, noOut] = await Promise.all([
      runCli(['run', 'feed', '--segment', '5/4']),
      runCli(['run', 'feed', '--instances', '2', '--segment', '1/2']),
      runCli(['merge', '/tmp']),
    ]);
    expect([seg.code, seg.stderr]).toEqual([104, 'brink: --segment "5/4" is not i/N with 1 <= i <= N <= 10000, e.g. 2/4\n']);
    expect([both.code, both.stderr]).toEqual([104, 'brink: --instances 2 and --segment 1/2 do not combine: --instances runs every segment itself\n']);
    expect([noOut.code, noOut.stderr]).toEqual([104, 'brink: --out is required: the directory to write the merged run to\n']);
  }, 60_000);

  it('merges two segment results into one run directory and exits 99 when a threshold fails on the merged data', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'brink-merge-cli-'));
    const plan: Plan = { scenario: { executor: 'per-vu-iterations', vus: 100, iterations: 1, maxDuration: '10s' }, thresholds: {} };
    const thresholds = { http_req_duration: ['p(99)<99'] };
    for (const index of [1, 2]) {
      const e = await new LoadEngine().run({ scenario: syntheticScenario, plan, data: { baseUrl: 'http://127.0.0.1:9', users: [], heavyUsers: [], conversations: [], searchTerms: { selective: [], broad: [] }, dataset: 'none' }, stripe: stripeOf({ index, count: 2 }) });
      const d = join(dir, `seg-${index}`);
      mkdirSync(d);
      writeSegmentResult(d, {
        kind: 'brink-segment', version: 1, runId: 'cli-1', scenario: 'synthetic', profile: 'smoke', timeScale: 1, planHash: planHash(plan), thresholds,
        segment: { index, count: 2 }, phaseDefs: phasesOf(plan), card: { runId: 'cli-1', scenario: 'synthetic', profile: 'smoke', engine: 'node', startedAt: e.startedAt } as RunCard,
        status: 'passed', notes: [], state: e.state,
      });
    }
    const r = await runCli(['merge', dir, '--out', join(dir, 'merged')]);
    expect(r.code, r.stderr).toBe(99);
    expect(r.stdout).toContain('merged 2 parts of run cli-1');
    expect(r.stderr).toBe('brink: 1 of 1 thresholds failed on the merged data: http_req_duration p(99)<99 (measured 99.007)\n');
    const s = JSON.parse(readFileSync(join(dir, 'merged', 'summary.json'), 'utf8'));
    expect(s).toMatchObject({ status: 'failed', totals: { requests: 100 }, card: { runId: 'cli-1', merged: { parts: 2 } } });
  }, 60_000);
});
