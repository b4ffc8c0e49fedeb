/** Executive summary: the overall verdict (Nova's "DO NOT DEPLOY"), why, and ratings per area. */
import { SEVERITIES } from '../../core/index.ts';
import type { Block, SectionDescriptor } from '../types.ts';

export const executiveSummary: SectionDescriptor = {
  id: 'executive-summary',
  title: 'Executive summary',
  render(model) {
    const d = model.derived;
    const blocks: Block[] = [
      { kind: 'verdict', text: d.verdict.text, tone: d.verdict.tone },
      { kind: 'list', items: d.verdict.reasons },
      {
        kind: 'table', caption: 'Ratings per area (out of 10; how they are computed: see reports/derive/verdict.ts)',
        columns: ['Area', 'Rating', 'Basis'],
        rows: d.areas.map((a) => [a.area, a.score === null ? { text: 'no data', tone: 'muted' } : { text: `${a.score}/10`, tone: a.score >= 8 ? 'good' : a.score >= 5 ? 'warn' : 'bad' }, a.summary]),
      },
    ];
    const counts = SEVERITIES.map((s) => `${d.severityCounts[s]} ${s}`).join(', ');
    blocks.push({ kind: 'paragraph', text: model.findings.length ? `Findings: ${counts}.` : 'Findings: none in the inputs (no audit/findings.json, or it is empty).' });
    if (model.claims.length) {
      const by = (v: string) => model.claims.filter((c) => c.verdict === v).length;
      blocks.push({ kind: 'paragraph', text: `Claims: ${model.claims.length} checked; ${by('CONFIRMED')} confirmed, ${by('REFUTED')} refuted, ${by('PARTLY')} partly, ${by('NOT MEASURABLE HERE')} not measurable here, ${by('NOT RUN')} not run.` });
    }
    const top = d.actions.filter((a) => a.priority === 'P0');
    if (top.length) blocks.push({ kind: 'heading', text: 'Blockers (P0)', tone: 'bad' }, { kind: 'list', ordered: true, items: top.map((a) => `${a.title}: ${a.detail}`) });
    return blocks;
  },
};
