/** Findings by severity in the Nova audit's shape, each with its EXPLAIN before/after when audited. */
import { SEVERITIES, type Finding } from '../../core/index.ts';
import type { Block, ExplainPlan, QueryExplain, SectionDescriptor } from '../types.ts';
import { fmtMs } from '../derive/format.ts';
import { anchorId } from '../render/anchors.ts';

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

/**
 * One entry per place: the checks that fired on the same query (seq scan, sort, missing index on
 * one plan) say the same thing three ways, so they are grouped under the worst severity among them.
 */
export function groupFindings(list: readonly Finding[]): { location: string; severity: Finding['severity']; findings: Finding[] }[] {
  const groups = new Map<string, Finding[]>();
  for (const f of list) groups.set(f.location, [...(groups.get(f.location) ?? []), f]);
  return [...groups.entries()]
    .map(([location, fs]) => {
      const sorted = [...fs].sort((a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity));
      return { location, severity: sorted[0]!.severity, findings: sorted };
    })
    .sort((a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) || a.location.localeCompare(b.location));
}

/** The queries whose EXPLAIN plans the findings section shows (each has an anchor there). */
export function explainsShown(list: readonly Finding[], explains: readonly QueryExplain[]): Set<string> {
  return new Set(groupFindings(list).map((g) => explainFor(explains, g.location, g.findings[0]!.evidence)?.query).filter((q): q is string => q !== undefined));
}

export const findings: SectionDescriptor = {
  id: 'findings',
  title: 'Findings by severity',
  render(model) {
    if (model.findings.length === 0) return [{ kind: 'empty', text: 'No findings in the inputs (no audit/findings.json, or the audit found nothing).' }];
    const blocks: Block[] = [];
    const groups = groupFindings(model.findings);
    blocks.push({ kind: 'paragraph', text: `${model.findings.length} findings at ${groups.length} places; the checks that fired on one place are shown together.` });
    const anchored = new Set<string>();
    for (const g of groups) {
      const tone = g.severity === 'CRITICAL' || g.severity === 'HIGH' ? 'bad' : g.severity === 'MEDIUM' ? 'warn' : 'muted';
      // The first place showing a query's EXPLAIN plans is what a claim row links to (explainsShown).
      const shown = explainFor(model.explains, g.location, g.findings[0]!.evidence);
      const anchor = shown && !anchored.has(shown.query) ? anchorId('explain', shown.query) : undefined;
      if (shown) anchored.add(shown.query);
      blocks.push({ kind: 'heading', text: `[${g.severity}] ${g.location}: ${g.findings.map((f) => f.title).join('; ')}`, tone, ...(anchor ? { anchor } : {}) });
      const many = g.findings.length > 1;
      blocks.push({
        kind: 'keyvalue',
        entries: g.findings.flatMap((f) => {
          const tag = many ? ` (${f.severity}, ${f.checkId})` : '';
          return [
            ['Problem' + tag, f.problem], ['Impact' + tag, f.impact], ['Recommended fix' + tag, f.fix],
            ['Why (check ' + f.checkId + ')', f.explanation], ...(f.claimIds?.length ? [['Claims' + tag, f.claimIds.join(', ')] as [string, string]] : []),
          ] as [string, string][];
        }),
      });
      const first = g.findings[0]!;
      const ex = explainFor(model.explains, g.location, first.evidence);
      if (ex) {
        blocks.push({ kind: 'code', caption: `Query ${ex.query}`, text: ex.sql });
        blocks.push({ kind: 'sideBySide', left: planBlocks(ex.before, 'Before'), right: planBlocks(ex.after, 'After') });
      }
    }
    return blocks;
  },
};
