/** Load scenarios (Nova section 6): parameters, observed bottleneck, failure mode, safe throughput. */
import type { Block, SectionDescriptor } from '../types.ts';
import { throughputVsP99 } from '../charts/specs.ts';
import { fmtMs, fmtPct, fmtRate } from '../derive/format.ts';
import { anchorId } from '../render/anchors.ts';

export const loadScenarios: SectionDescriptor = {
  id: 'load-scenarios',
  title: 'Load test scenarios',
  render(model) {
    const rows = model.derived.scenarios;
    if (rows.length === 0) return [{ kind: 'empty', text: 'No load runs in the inputs: no scenario was measured.' }];
    const blocks: Block[] = [];
    for (const r of rows) {
      // A claim row links here (anchorId('run', label)): the run it read.
      blocks.push({ kind: 'heading', text: `${r.scenario} (${r.variant}) - ${r.run}`, anchor: anchorId('run', r.run) });
      blocks.push({
        kind: 'keyvalue',
        entries: [
          ['Parameters', r.parameters],
          ['Peak achieved', `${fmtRate(r.peakRatePerSec)}; overall P99 ${fmtMs(r.p99Ms)}; errors ${fmtPct(r.errorRate)}`],
          ['Observed bottleneck', r.bottleneck],
          ['Failure mode', r.failureMode],
          ['Safe throughput', r.safeThroughputPerSec === null ? `none: no phase met P99 <= ${fmtMs(r.p99TargetMs)} with < 1% errors` : `${fmtRate(r.safeThroughputPerSec)} (P99 <= ${fmtMs(r.p99TargetMs)}, < 1% errors)`],
        ],
      });
    }
    const withPhases = model.runs.filter((r) => r.summary.phases.some((p) => p.requests > 0 && p.latencyMs.p99 > 0));
    blocks.push(withPhases.length
      ? { kind: 'chart', id: 'throughput-p99', title: 'Throughput vs P99', spec: throughputVsP99(withPhases, rows.filter((r) => withPhases.some((w) => w.label === r.run))) }
      : { kind: 'empty', text: 'No run recorded phases, so there is no throughput-vs-P99 curve.' });
    return blocks;
  },
};
