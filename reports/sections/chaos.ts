/** Chaos experiments: one verdict per hypothesis, time to detect/recover, and the run under fault. */
import type { Block, SectionDescriptor } from '../types.ts';
import { latencyOverTime } from '../charts/specs.ts';
import { fmtMs } from '../derive/format.ts';
import { anchorId } from '../render/anchors.ts';

export const chaos: SectionDescriptor = {
  id: 'chaos',
  title: 'Chaos experiments',
  render(model) {
    if (model.chaos.length === 0) return [{ kind: 'empty', text: 'No chaos experiments in the inputs (chaos/*.json is written by brink chaos).' }];
    const blocks: Block[] = [{
      kind: 'table', columns: ['Experiment', 'Verdict', 'Hypotheses passed', 'Time to detect', 'Time to recover'],
      rows: model.chaos.map((e) => [e.experiment, { text: e.ok ? 'PASS' : 'FAIL', tone: e.ok ? 'good' : 'bad' }, `${e.verdicts.filter((v) => v.ok).length}/${e.verdicts.length}`,
        e.timeToDetectMs === undefined ? '-' : fmtMs(e.timeToDetectMs), e.timeToRecoverMs === undefined ? '-' : fmtMs(e.timeToRecoverMs)]),
    }];
    for (const [i, e] of model.chaos.entries()) {
      // A claim row links here (anchorId('experiment', name)): the experiment it bears on.
      blocks.push({ kind: 'heading', text: `${e.experiment}: ${e.ok ? 'PASS' : 'FAIL'}`, tone: e.ok ? 'good' : 'bad', anchor: anchorId('experiment', e.experiment) });
      blocks.push({ kind: 'paragraph', text: e.description });
      blocks.push({
        kind: 'table', columns: ['Phase', 'Hypothesis', 'Measured', 'Verdict', 'Explanation'],
        rows: e.verdicts.map((v) => [v.phase, v.hypothesis, Object.entries(v.measured).map(([k, x]) => `${k}=${x}`).join(', '), { text: v.ok ? 'PASS' : 'FAIL', tone: v.ok ? 'good' : 'bad' }, v.explanation]),
      });
      if (e.run && e.run.timeSeries.length) {
        blocks.push({ kind: 'chart', id: `chaos-latency-${i}`, title: `Latency during ${e.experiment}`, spec: latencyOverTime(e.run, [...e.run.timeline, ...e.timeline]) });
      }
      if (e.notes.length) blocks.push({ kind: 'list', items: e.notes });
    }
    return blocks;
  },
};
