/** Findings by severity in the Nova audit's shape, each with its EXPLAIN before/after when audited. */
import { SEVERITIES } from '../../core/index.ts';
import type { Block, ExplainPlan, QueryExplain, SectionDescriptor } from '../types.ts';
import { fmtMs } from '../derive/format.ts';

function planBlocks(p: ExplainPlan | undefined, side: string): Block[] {
  if (!p) return [{ kind: 'empty', text: `No ${side} plan recorded.` }];
  const facts = [
    p.totalCost !== undefined ? `cost ${p.totalCost}` : '',
    p.executionMs !== undefined ? `execution ${fmtMs(p.executionMs)}` : '',
    p.hypothetical ? 'hypothetical index (HypoPG): cost only' : '',
  ].filter(Boolean).join(', ');
  const text = typeof p.plan === 'string' ? p.plan : JSON.stringify(p.plan, null, 2);
  return [{ kind: 'code', caption: `${side}: ${p.label}${facts ? ` (${facts})` : ''}`, text }];
}

/** The EXPLAIN entry for a finding: its location or evidence.query names the catalog query. */
export function explainFor(explains: readonly QueryExplain[], location: string, evidence?: Record<string, unknown>): QueryExplain | undefined {
  const q = typeof evidence?.query === 'string' ? evidence.query : undefined;
  return explains.find((x) => x.query === q) ?? explains.find((x) => x.query === location || location.includes(x.query));
}

export const findings: SectionDescriptor = {
  id: 'findings',
  title: 'Findings by severity',
  render(model) {
    if (model.findings.length === 0) return [{ kind: 'empty', text: 'No findings in the inputs (no audit/findings.json, or the audit found nothing).' }];
    const blocks: Block[] = [];
    const sorted = [...model.findings].sort((a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity));
    for (const f of sorted) {
      const tone = f.severity === 'CRITICAL' || f.severity === 'HIGH' ? 'bad' : f.severity === 'MEDIUM' ? 'warn' : 'muted';
      blocks.push({ kind: 'heading', text: `[${f.severity}] ${f.title}`, tone });
      blocks.push({
        kind: 'keyvalue',
        entries: [
          ['Location', f.location], ['Problem', f.problem], ['Impact', f.impact], ['Recommended fix', f.fix],
          ['Why (check ' + f.checkId + ')', f.explanation], ...(f.claimIds?.length ? [['Claims', f.claimIds.join(', ')] as [string, string]] : []),
        ],
      });
      const ex = explainFor(model.explains, f.location, f.evidence);
      if (ex) {
        blocks.push({ kind: 'code', caption: `Query ${ex.query}`, text: ex.sql });
        blocks.push({ kind: 'sideBySide', left: planBlocks(ex.before, 'Before'), right: planBlocks(ex.after, 'After') });
      }
    }
    return blocks;
  },
};
