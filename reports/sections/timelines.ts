/** Per-run charts: latency percentiles with fault windows, rate and errors, active VUs, HDR spectrum. */
import type { Block, SectionDescriptor } from '../types.ts';
import { activeOverTime, hasActiveSeries, latencyOverTime, percentileSpectrum, rateOverTime, spectrumMetrics } from '../charts/specs.ts';
import { fmtMs, fmtPct, fmtRate } from '../derive/format.ts';

export const timelines: SectionDescriptor = {
  id: 'timelines',
  title: 'Runs over time',
  render(model) {
    if (model.runs.length === 0) return [{ kind: 'empty', text: 'No load runs in the inputs: no time series to chart.' }];
    const blocks: Block[] = [];
    for (const [i, run] of model.runs.entries()) {
      const s = run.summary;
      blocks.push({ kind: 'heading', text: `${run.label}: ${s.card.scenario} (${s.card.variant})` });
      blocks.push({ kind: 'paragraph', text: `${s.totals.requests} requests, ${fmtRate(s.totals.ratePerSec)}, errors ${fmtPct(s.totals.errorRate)}, P50 ${fmtMs(s.totals.latencyMs.p50)}, P95 ${fmtMs(s.totals.latencyMs.p95)}, P99 ${fmtMs(s.totals.latencyMs.p99)}, max ${fmtMs(s.totals.latencyMs.max)}.` });
      if (s.timeSeries.length === 0) {
        blocks.push({ kind: 'empty', text: 'This run recorded no time series.' });
      } else {
        blocks.push({ kind: 'chart', id: `latency-${i}`, title: 'Latency over time', spec: latencyOverTime(s) });
        blocks.push({ kind: 'chart', id: `rate-${i}`, title: 'Rate and errors over time', spec: rateOverTime(s) });
        blocks.push(hasActiveSeries(s)
          ? { kind: 'chart', id: `active-${i}`, title: 'Active VUs and sockets', spec: activeOverTime(s) }
          : { kind: 'empty', text: 'This run recorded no active VU or socket counts.' });
      }
      blocks.push(spectrumMetrics(run.spectra).length
        ? { kind: 'chart', id: `spectrum-${i}`, title: 'Latency by percentile', spec: percentileSpectrum(run.spectra) }
        : { kind: 'empty', text: 'No histograms.json for this run: no percentile spectrum.' });
      if (s.endpoints.length) {
        blocks.push({
          kind: 'table', caption: 'Per endpoint',
          columns: ['Endpoint', 'Requests', 'Errors', 'Rate', 'P50', 'P95', 'P99', 'Max', 'Statuses'],
          rows: s.endpoints.map((e) => [e.name, e.requests, e.errors, fmtRate(e.ratePerSec), fmtMs(e.latencyMs.p50), fmtMs(e.latencyMs.p95), fmtMs(e.latencyMs.p99), fmtMs(e.latencyMs.max),
            Object.entries(e.statusCounts).map(([k, v]) => `${k}: ${v}`).join(', ')]),
        });
      }
      const events = s.timeline.filter((t) => t.kind !== 'phase');
      if (events.length) blocks.push({ kind: 'list', items: events.map((t) => `${(t.tMs / 1000).toFixed(1)} s ${t.kind}: ${t.label}`) });
      if (s.notes.length) blocks.push({ kind: 'list', items: s.notes.map((n) => `note: ${n}`) });
    }
    return blocks;
  },
};
