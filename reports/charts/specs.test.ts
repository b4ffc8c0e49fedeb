import { describe, expect, it } from 'vitest';
import type { TimeSeriesPoint } from '../../core/index.ts';
import { faultWindows, metricLabel, claimBarValues, claimHeadlineValues, claimVerdicts } from './specs.ts';
import { downsample } from './downsample.ts';
import { specToSvg } from './render-svg.ts';

describe('chart data', () => {
  it('pairs each fault-start with its fault-stop by label, and closes an open one at the run end', () => {
    expect(faultWindows([
      { tMs: 1000, kind: 'fault-start', label: 'a' }, { tMs: 2000, kind: 'fault-start', label: 'b' },
      { tMs: 3000, kind: 'fault-stop', label: 'a' }, { tMs: 5000, kind: 'note', label: 'x' },
    ], 9000)).toEqual([{ startS: 1, endS: 3, label: 'a' }, { startS: 2, endS: 9, label: 'b' }]);
  });

  it('downsamples a long series keeping the worst tail of each bucket', () => {
    const pts: TimeSeriesPoint[] = Array.from({ length: 600 }, (_, i) => ({ tMs: i * 1000, requests: 10, errors: i === 301 ? 5 : 0, ratePerSec: 10, p50Ms: 1, p95Ms: 2, p99Ms: i === 301 ? 900 : 3 }));
    const d = downsample(pts, 200);
    expect(d).toHaveLength(200);
    expect(Math.max(...d.map((p) => p.p99Ms))).toBe(900);
    expect(d.reduce((s, p) => s + p.errors, 0) * 3).toBeCloseTo(5);
  });

  it('labels HDR metrics by endpoint name', () => {
    expect(['http_req_duration', 'http_req_duration{name:feed}', 'ws_ack'].map(metricLabel)).toEqual(['all requests', 'feed', 'ws_ack']);
  });

  it('takes baseline*/optimized* claim values as bars and ignores the rest', () => {
    expect(claimBarValues([{ id: 'NV-1', claim: '', method: '', measured: '', verdict: 'CONFIRMED', reason: '', values: { baselineMs: 500, optimizedMs: 9, ratio: 55 } }]))
      .toEqual([{ claim: 'NV-1 Ms', variant: 'baseline', value: 500 }, { claim: 'NV-1 Ms', variant: 'optimized', value: 9 }]);
  });

  it('renders a spec to SVG with ids made unique per chart, and refuses to load external data', async () => {
    const svg = await specToSvg({ data: { values: [{ x: 1, y: 2 }, { x: 2, y: 3 }] }, mark: 'line', encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } } }, 'c7');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toMatch(/<path[^>]* d="M/);
    for (const m of svg.matchAll(/id="([^"]+)"/g)) expect(m[1]!.startsWith('c7-')).toBe(true);
    await expect(specToSvg({ data: { url: 'http://127.0.0.1:9/x.json' }, mark: 'point' }, 'c8')).rejects.toThrow('report charts never load external data');
  });
});

describe('claims chart: claimed vs measured', () => {
  const claim = (id: string, headline?: { claimed: number; measured: number }) => ({ id, claim: '', method: '', measured: '', verdict: 'PARTLY' as const, reason: '', ...(headline ? { headline: { metric: 'target', unit: 'ms', better: 'lower' as const, ...headline } } : {}) });
  it('plots only claims with a finite numeric headline, in claim order', () => {
    const rows = claimHeadlineValues([claim('NV-1', { claimed: 10, measured: 0.3 }), claim('NF-7'), claim('NV-2', { claimed: 5, measured: Number.NaN })]);
    expect(rows).toEqual([{ id: 'NV-1', label: 'NV-1: target (ms)', order: 0, claimed: 10, measured: 0.3, unit: 'ms', better: 'lower is better', verdict: 'PARTLY' }]);
  });
  it('keeps the verdict overview alone when no claim has a headline, and adds the dot plot when one has', () => {
    expect(claimVerdicts([claim('NF-7')])).toHaveProperty('mark');
    const spec = claimVerdicts([claim('NV-1', { claimed: 10, measured: 0.3 })]) as { vconcat: { layer?: unknown[] }[] };
    expect(spec.vconcat).toHaveLength(2);
    expect(spec.vconcat[1]!.layer).toHaveLength(3);
  });
});
