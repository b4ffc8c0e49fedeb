import { describe, expect, it } from 'vitest';
import { compareDistribution, failedThresholdWindows, latencyOverTime } from '../charts/specs.ts';
import { specToSvg } from '../charts/render-svg.ts';
import { literalRun } from '../test-helpers.ts';

describe('compare and window charts', () => {
  it('draws base and head samples side by side, one dot per sample and a tick per median', async () => {
    const spec = compareDistribution('P99 per run', 'ms', { label: 'A', values: [100, 102, 98], median: 100 }, { label: 'B', values: [125, 130, 120], median: 125 });
    const layers = spec.layer as Array<{ data: { values: Array<{ side: string; value: number }> }; mark: { type: string } }>;
    expect(layers.map((l) => l.mark.type)).toEqual(['point', 'tick']);
    expect(layers[0]!.data.values).toHaveLength(6);
    expect(layers[1]!.data.values).toEqual([{ side: 'base: A', value: 100 }, { side: 'head: B', value: 125 }]);
    const svg = await specToSvg(spec, 'cmp');
    expect(svg).toContain('<svg');
    expect(svg).toContain('head: B');
  });

  it('marks the first failed window of a windowed threshold on the latency chart, and only failed ones', async () => {
    const run = literalRun('r', {
      thresholds: [
        { metric: 'http_req_duration', expression: 'p(99)<500 over 30s', ok: false, actual: 900, window: { lengthMs: 30_000, checked: 31, failed: 20, empty: 0, firstFailed: { startMs: 11_000, endMs: 41_000, actual: 900 } } },
        { metric: 'http_req_failed', expression: 'rate<0.001 burn 14.4x over 1m', ok: true, actual: 2, window: { lengthMs: 60_000, checked: 1, failed: 0, empty: 0, worst: { startMs: 0, endMs: 60_000, actual: 2 } } },
      ] as never,
    });
    run.summary.timeSeries = Array.from({ length: 60 }, (_, i) => ({ tMs: i * 1000, requests: 10, errors: 0, ratePerSec: 10, p50Ms: 5, p95Ms: 8, p99Ms: i >= 40 && i < 41 ? 900 : 10 }));
    expect(failedThresholdWindows(run.summary)).toEqual([{ startS: 11, endS: 41, label: 'http_req_duration p(99)<500 over 30s' }]);
    const spec = latencyOverTime(run.summary);
    const marked = (spec.layer as Array<{ encoding?: { color?: { datum?: string } } }>).filter((l) => l.encoding?.color?.datum === 'failed threshold window');
    expect(marked).toHaveLength(1);
    expect(await specToSvg(spec, 'lat')).toContain('failed threshold window');
  });
});
