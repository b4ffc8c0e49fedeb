/**
 * Where the time went, per run (issue 14): a chart of CPU per stack component over the run, a table
 * of the components (CPU, memory, event-loop lag), the resources ranked by how saturated they were
 * (the first one named), PgBouncer's waiting clients and the time per hop the gateway measured.
 * Reads RunSummary.attribution, which `brink run` samples on a local stack.
 */
import type { Attribution, RunSummary } from '../../core/index.ts';
import type { Block, SectionDescriptor, VegaLiteSpec } from '../types.ts';

const fmt = (n: number, d = 2) => n.toFixed(d);

/** CPU (cores) per component over time; the machine's other load is its own series. */
export function cpuPerComponentSpec(a: Attribution): VegaLiteSpec {
  const values = a.components.flatMap((c) => c.samples.map((s) => ({ t: Math.round(s.tMs / 100) / 10, component: c.component, cores: s.cpuCores })));
  return {
    width: 640,
    height: 200,
    title: `CPU per component (cores, of ${a.cpus})`,
    data: { values },
    mark: { type: 'area', interpolate: 'step-after' },
    encoding: {
      x: { field: 't', type: 'quantitative', title: 'time since start (s)' },
      y: { field: 'cores', type: 'quantitative', stack: 'zero', title: 'CPU (cores)' },
      color: { field: 'component', type: 'nominal', title: null },
    },
  };
}

export function attributionBlocks(label: string, summary: RunSummary, index = 0): Block[] {
  const a = summary.attribution;
  if (!a) return [];
  const first = a.saturated[0];
  const blocks: Block[] = [{ kind: 'heading', text: label }];
  blocks.push(
    first
      ? { kind: 'paragraph', tone: first.level >= 0.9 ? 'bad' : first.level >= 0.7 ? 'warn' : 'good', text: `Most saturated: ${first.resource} (${fmt(first.level * 100, 0)}% of its limit): ${first.evidence}.` }
      : { kind: 'paragraph', tone: 'muted', text: 'Nothing was sampled for saturation.' },
  );
  if (a.topConsumer) blocks.push({ kind: 'paragraph', text: `Top CPU consumer: ${a.topConsumer.component}, ${fmt(a.topConsumer.cpuMeanCores)} cores on average (${fmt(a.topConsumer.shareOfMachine * 100, 0)}% of the machine).` });
  blocks.push({ kind: 'chart', id: `cpu-per-component-${index + 1}`, title: 'CPU per component', spec: cpuPerComponentSpec(a) });
  blocks.push({
    kind: 'table',
    columns: ['Component', 'CPU mean (cores)', 'CPU max (cores)', 'RSS max (MB)', 'Loop lag p99 max (ms)'],
    rows: a.components.map((c) => [c.component, fmt(c.cpuMeanCores), fmt(c.cpuMaxCores), fmt(c.rssMaxMb, 0), c.loopLagP99MaxMs === undefined ? '-' : fmt(c.loopLagP99MaxMs, 0)]),
    caption: `Sampled every ${a.intervalMs} ms; "other (outside the stack)" is the rest of the machine's load.`,
  });
  blocks.push({
    kind: 'table',
    columns: ['Resource', 'Level', 'Evidence'],
    rows: a.saturated.slice(0, 6).map((f) => [f.resource, { text: `${fmt(f.level * 100, 0)}%`, tone: f.level >= 0.9 ? 'bad' : f.level >= 0.7 ? 'warn' : 'good' }, f.evidence]),
    caption: 'Resources ranked by how close they came to their limit.',
  });
  if (a.hops.length > 0) {
    blocks.push({
      kind: 'table',
      columns: ['Downstream', 'Requests', 'Total (ms)', 'Gateway (ms)', 'Transit (ms)', 'Service (ms)', 'Database (ms)'],
      rows: a.hops.map((h) => [h.service, h.requests, fmt(h.totalMeanMs, 1), fmt(h.gatewayMeanMs, 1), fmt(h.transitMeanMs, 1), fmt(h.serviceMeanMs, 1), fmt(h.dbMeanMs, 1)]),
      caption: 'Mean time per hop (gateway Server-Timing); transit includes sockets, Toxiproxy hops and the service waiting for its event loop.',
    });
  }
  if (a.pgbouncer.length > 0) {
    const maxWaiting = Math.max(...a.pgbouncer.map((p) => p.clientsWaiting));
    const maxWaitMs = Math.max(...a.pgbouncer.map((p) => p.maxWaitMs));
    blocks.push({ kind: 'paragraph', tone: maxWaiting > 0 ? 'warn' : 'good', text: `PgBouncer: up to ${maxWaiting} clients waiting for a server connection, longest wait ${fmt(maxWaitMs, 0)} ms.` });
  }
  if (a.notes.length > 0) blocks.push({ kind: 'list', items: a.notes });
  return blocks;
}

export const whereTimeWent: SectionDescriptor = {
  id: 'where-time-went',
  title: 'Where the time went',
  render(model) {
    const blocks = model.runs.flatMap((r, i) => attributionBlocks(r.label, r.summary, i));
    if (blocks.length === 0) return [{ kind: 'empty', text: 'No run sampled its stack (attribution is recorded by brink run on a local stack).' }];
    return blocks;
  },
};
