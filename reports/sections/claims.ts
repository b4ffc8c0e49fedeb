/** The claims table (claim id, claim, method, measured, verdict) and baseline vs optimized bars. */
import type { ClaimVerdict } from '../../core/index.ts';
import type { Block, SectionDescriptor, Tone } from '../types.ts';
import { claimBarValues, claimBars, claimHeadlineValues, claimVerdicts } from '../charts/specs.ts';
import { CLAIM_BARS_ANCHOR, CLAIMS_CHART_ANCHOR, claimEvidence, evidenceLinks, evidenceRest, type EvidenceTargets } from '../derive/claim-evidence.ts';
import { explainsShown } from './findings.ts';
import { CLAIM_VERDICTS } from '../../core/index.ts';

const TONE: Record<ClaimVerdict, Tone> = { CONFIRMED: 'good', REFUTED: 'bad', PARTLY: 'warn', 'NOT MEASURABLE HERE': 'muted', 'NOT RUN': 'muted' };

export const claims: SectionDescriptor = {
  id: 'claims',
  title: 'Claims: estimated vs measured',
  render(model) {
    if (model.claims.length === 0) return [{ kind: 'empty', text: 'No claims in the inputs (claims.json is written by brink assess).' }];
    const counts = CLAIM_VERDICTS.map((v) => [v, model.claims.filter((c) => c.verdict === v).length] as const).filter(([, n]) => n > 0);
    const headlines = claimHeadlineValues(model.claims);
    const bars = claimBarValues(model.claims);
    const targets: EvidenceTargets = {
      runs: new Set(model.derived.scenarios.map((r) => r.run)),
      explains: explainsShown(model.findings, model.explains),
      experiments: new Set(model.chaos.map((e) => e.experiment)),
      switchList: model.runs.length > 0,
      headlineChart: new Set(headlines.map((h) => h.id)),
      barsChart: new Set(bars.length ? model.claims.filter((c) => bars.some((b) => b.claim.split(' ')[0] === c.id)).map((c) => c.id) : []),
    };
    const unplotted = model.claims.filter((c) => !targets.headlineChart.has(c.id));
    const blocks: Block[] = [
      { kind: 'paragraph', text: `${model.claims.length} claims: ${counts.map(([v, n]) => `${n} ${v}`).join(', ')}. A claim is CONFIRMED only when every part of it was measured and held; the reason names what held, what failed and what was not measured.` },
      { kind: 'chart', id: 'claim-verdicts', title: 'Every claim and its verdict; claimed vs measured', spec: claimVerdicts(model.claims), anchor: CLAIMS_CHART_ANCHOR },
      unplotted.length
        ? { kind: 'paragraph', text: `Not plotted (no numeric headline target was measured): ${unplotted.map((c) => `${c.id} ${c.verdict}`).join(', ')}.` }
        : { kind: 'paragraph', text: 'Every claim has a numeric headline on the chart.' },
      {
        kind: 'table',
        columns: ['Claim', 'Claim as written', 'Method', 'Measured', 'Verdict', 'Reason / model estimate', 'Evidence'],
        rows: model.claims.map((c) => {
          const e = claimEvidence(c, model.runs, model.explains, model.chaos);
          const links = evidenceLinks(c.id, e, targets);
          const rest = evidenceRest(e, targets);
          return [c.id, c.claim, c.method, c.measured, { text: c.verdict, tone: TONE[c.verdict] }, [c.reason, c.modelEstimate ? `model: ${c.modelEstimate}` : ''].filter(Boolean).join('; '), { text: rest || (links.length ? '' : '-'), links }];
        }),
      },
    ];
    blocks.push(bars.length
      ? { kind: 'chart', id: 'claim-bars', title: 'Baseline vs optimized per claim', spec: claimBars(bars), anchor: CLAIM_BARS_ANCHOR }
      : { kind: 'empty', text: 'No claim carries baseline/optimized values to chart.' });
    return blocks;
  },
};
