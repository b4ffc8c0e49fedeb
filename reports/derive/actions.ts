/**
 * Action items in the Nova audit's three tiers, derived (not written by hand): P0 = CRITICAL
 * findings (blockers); P1 = HIGH findings, failed SLIs/thresholds and failed chaos hypotheses;
 * P2 = MEDIUM and LOW findings, and claims the measurements refuted or only partly confirmed.
 */
import type { ClaimResult, ExperimentResult, Finding } from '../../core/index.ts';
import type { ActionItem, SliRow } from '../types.ts';

export function deriveActions(findings: readonly Finding[], slis: readonly SliRow[], chaos: readonly ExperimentResult[], claims: readonly ClaimResult[]): ActionItem[] {
  const out: ActionItem[] = [];
  const tier = { CRITICAL: 'P0', HIGH: 'P1', MEDIUM: 'P2', LOW: 'P2' } as const;
  for (const f of findings) {
    if (f.severity === 'INFO') continue;
    out.push({ priority: tier[f.severity], title: `[${f.severity}] ${f.title}`, detail: `${f.location}: ${f.fix}`, source: `finding ${f.checkId}` });
  }
  for (const s of slis.filter((x) => x.status === 'FAIL')) {
    out.push({ priority: 'P1', title: `Meet SLI "${s.sli}" (${s.target})`, detail: `measured ${s.measured} in ${s.run}`, source: s.source === 'threshold' ? 'threshold' : 'Nova SLI' });
  }
  for (const e of chaos) {
    for (const v of e.verdicts.filter((x) => !x.ok)) {
      out.push({ priority: 'P1', title: `Hold "${v.hypothesis}" under ${e.experiment}`, detail: v.explanation, source: `chaos ${e.experiment} (${v.phase})` });
    }
  }
  for (const c of claims.filter((x) => x.verdict === 'REFUTED' || x.verdict === 'PARTLY')) {
    out.push({ priority: 'P2', title: `Revisit claim ${c.id} (${c.verdict})`, detail: `${c.claim} - measured: ${c.measured}`, source: `claim ${c.id}` });
  }
  const rank = { P0: 0, P1: 1, P2: 2 };
  return out.sort((a, b) => rank[a.priority] - rank[b.priority]);
}
