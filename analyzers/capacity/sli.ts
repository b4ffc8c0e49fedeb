/**
 * The SLI table (Nova section 7): target, measured, PASS/FAIL per indicator, from a RunSummary.
 * Each indicator names where to read it (k6 metric names first, then endpoint names), so one
 * table works for k6 and Node-engine runs. Not found in the run: NOT MEASURED, never a guess.
 */
import type { RunSummary, TrendValues } from '../../core/index.ts';

export interface SliSpec {
  id: string;
  label: string;
  /** Metric keys (k6 naming) or endpoint names to read, in order of preference. */
  metrics?: string[];
  endpoints?: string[];
  stat: 'p95' | 'p99' | 'ratePerSec' | 'max' | 'errorRate';
  op: '<' | '>';
  target: number;
  unit: 'ms' | 'req/s' | 'connections' | 'ratio';
  claimIds?: string[];
}

/** NV-13's targets. */
export const NOVA_SLIS: SliSpec[] = [
  { id: 'feed-p99', label: 'Feed P99 latency', metrics: ['http_req_duration{name:feed}'], endpoints: ['feed', 'GET /feed'], stat: 'p99', op: '<', target: 500, unit: 'ms', claimIds: ['NV-13'] },
  { id: 'message-send-p99', label: 'Message send P99 (ack)', metrics: ['chat_ack_duration', 'message_ack_duration'], endpoints: ['message_send', 'chat_send'], stat: 'p99', op: '<', target: 100, unit: 'ms', claimIds: ['NV-13'] },
  { id: 'inter-service-p99', label: 'Inter-service call P99', metrics: ['inter_service_duration', 'upstream_duration'], stat: 'p99', op: '<', target: 100, unit: 'ms', claimIds: ['NV-13'] },
  { id: 'search-p99', label: 'Search P99 latency', metrics: ['http_req_duration{name:search}'], endpoints: ['search', 'search_posts', 'GET /search/posts'], stat: 'p99', op: '<', target: 1000, unit: 'ms', claimIds: ['NV-13', 'NV-12'] },
  { id: 'feed-throughput', label: 'Feed throughput', metrics: ['http_reqs{name:feed}'], endpoints: ['feed', 'GET /feed'], stat: 'ratePerSec', op: '>', target: 1000, unit: 'req/s', claimIds: ['NV-13', 'NV-10'] },
  { id: 'ws-concurrency', label: 'WebSocket concurrency', metrics: ['ws_sessions', 'ws_connections', 'sockets'], stat: 'max', op: '>', target: 10_000, unit: 'connections', claimIds: ['NV-13', 'NF-8'] },
];

export interface SliRow {
  id: string;
  label: string;
  target: string;
  measured?: number;
  /** Where the number came from (metric key or endpoint name). */
  source?: string;
  status: 'PASS' | 'FAIL' | 'NOT MEASURED';
}

function trendStat(v: TrendValues, stat: SliSpec['stat']): number | undefined {
  return stat === 'p95' ? v.p95 : stat === 'p99' ? v.p99 : stat === 'max' ? v.max : undefined;
}

export function measureSli(run: RunSummary, spec: SliSpec): { value: number; source: string } | undefined {
  for (const key of spec.metrics ?? []) {
    const m = run.metrics[key];
    if (!m) continue;
    if (m.type === 'trend') {
      const v = trendStat(m.values, spec.stat);
      if (v !== undefined) return { value: v, source: key };
    } else if (m.type === 'counter' && spec.stat === 'ratePerSec') return { value: m.values.ratePerSec, source: key };
    else if (m.type === 'gauge' && spec.stat === 'max') return { value: m.values.max, source: key };
    else if (m.type === 'rate' && spec.stat === 'errorRate') return { value: m.values.rate, source: key };
  }
  for (const name of spec.endpoints ?? []) {
    const e = run.endpoints.find((x) => x.name === name);
    if (!e) continue;
    if (spec.stat === 'ratePerSec') return { value: e.ratePerSec, source: `endpoint ${name}` };
    if (spec.stat === 'errorRate') return { value: e.requests ? e.errors / e.requests : 0, source: `endpoint ${name}` };
    const v = trendStat(e.latencyMs, spec.stat);
    if (v !== undefined) return { value: v, source: `endpoint ${name}` };
  }
  if (spec.stat === 'max' && spec.unit === 'connections') {
    const peak = Math.max(0, ...run.timeSeries.map((p) => p.sockets ?? 0));
    if (peak > 0) return { value: peak, source: 'timeSeries.sockets' };
  }
  return undefined;
}

export function sliTable(run: RunSummary, specs: readonly SliSpec[] = NOVA_SLIS): SliRow[] {
  return specs.map((s) => {
    const m = measureSli(run, s);
    const target = `${s.op} ${s.target.toLocaleString('en-US')} ${s.unit}`;
    if (!m) return { id: s.id, label: s.label, target, status: 'NOT MEASURED' };
    const ok = s.op === '<' ? m.value < s.target : m.value > s.target;
    return { id: s.id, label: s.label, target, measured: m.value, source: m.source, status: ok ? 'PASS' : 'FAIL' };
  });
}
