/** Run card: what each run was (code, variant and switches, dataset, engine, machine, repetitions). */
import type { SectionDescriptor } from '../types.ts';
import { fmtInt } from '../derive/format.ts';
import { describeLayout } from '../../core/index.ts';

export const runCard: SectionDescriptor = {
  id: 'run-card',
  title: 'Run card',
  render(model) {
    if (model.runs.length === 0 && model.assessments.length === 0) {
      return [{ kind: 'empty', text: 'No run or assessment metadata in the inputs: there is no run card to show.' }];
    }
    const blocks = model.assessments.map((a) => ({
      kind: 'keyvalue' as const,
      entries: [
        ['Assessment', a.title], ['Profile / scale', `${a.profile} / ${a.scale}`], ['Git sha', a.gitSha],
        ['Started', a.startedAt], ['Finished', a.finishedAt ?? 'not finished'], ['Complete', a.complete ? 'yes' : 'NO: results are partial'],
        ['Steps', a.steps.map((s) => `${s.name} ${s.status} (${(s.durationMs / 1000).toFixed(1)} s)${s.error ? `: ${s.error}` : ''}`).join('; ') || 'none recorded'],
      ] as [string, string][],
    }));
    if (model.runs.length === 0) return [...blocks, { kind: 'empty', text: 'No run directories in the inputs.' }];
    // The switch list is shown once; each row names only where its switches differ from its variant
    // (optimized = every switch on, baseline = every switch off).
    const names = [...new Set(model.runs.flatMap((r) => Object.keys(r.summary.card.switches)))].sort();
    const rows = model.runs.map((r) => {
      const c = r.summary.card;
      const expected = c.variant === 'optimized';
      const diffs = Object.entries(c.switches).filter(([, v]) => v !== expected).map(([k, v]) => `${k}=${v ? 'on' : 'off'}`);
      return [
        r.label, c.scenario, `${diffs.length ? `${c.variant}, except ${diffs.join(', ')}` : c.variant}${c.layout ? `; ${describeLayout(c.layout)}` : ''}`, c.dataset,
        `${c.engine} ${c.engineVersion}`, c.gitSha.slice(0, 12),
        `${c.machine.cpus} x ${c.machine.cpuModel}, ${c.machine.memoryGb} GB, ${c.machine.os}, node ${c.machine.node}`,
        `${c.startedAt} (${fmtInt(c.durationMs / 1000)} s${c.timeScale && c.timeScale !== 1 ? `, time scale ${c.timeScale}` : ''})`,
        c.repetitions ?? 1, r.summary.status,
      ];
    });
    return [...blocks, { kind: 'paragraph', text: `Switches (${names.length}): ${names.join(', ')}. Optimized runs have every switch on and baseline runs every switch off, except where a row says otherwise.` }, {
      kind: 'table',
      columns: ['Run', 'Scenario', 'Variant and switches', 'Dataset', 'Engine', 'Git sha', 'Machine', 'Started (duration)', 'Reps', 'Status'],
      rows: rows.map((r) => r.map((x, i) => (i === 9 ? { text: String(x), tone: x === 'passed' ? 'good' : 'bad' } : x))),
    }];
  },
};
