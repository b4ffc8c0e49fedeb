/** The claims table (claim id, claim, method, measured, verdict) and baseline vs optimized bars. */
import type { ClaimVerdict } from '../../core/index.ts';
import type { Block, SectionDescriptor, Tone } from '../types.ts';
import { claimBarValues, claimBars, claimVerdicts } from '../charts/specs.ts';
import { claimEvidence, evidenceText } from '../derive/claim-evidence.ts';
import { CLAIM_VERDICTS } from '../../core/index.ts';

const TONE: Record<ClaimVerdict, Tone> = { CONFIRMED: 'good', REFUTED: 'bad', PARTLY: 'warn', 'NOT MEASURABLE HERE': 'muted', 'NOT RUN': 'muted' };

export const claims: SectionDescriptor = {
  id: 'claims',
  title: 'Claims: estimated vs measured',
  render(model) {
    if (model.claims.length === 0) return [{ kind: 'empty', text: 'No claims in the inputs (claims.json is written by brink assess).' }];
    const counts = CLAIM_VERDICTS.map((v) => [v, model.claims.filter((c) => c.verdict === v).length] as const).filter(([, n]) => n > 0);
    const blocks: Block[] = [
      { kind: 'paragraph', text: `${model.claims.length} claims: ${counts.map(([v, n]) => `${n} ${v}`).join(', ')}. A claim is CONFIRMED only when every part of it was measured and held; the reason names what held, what failed and what was not measured.` },
      { kind: 'chart', id: 'claim-verdicts', title: 'Every claim and its verdict', spec: claimVerdicts(model.claims) },
      {
        kind: 'table',
        columns: ['Claim', 'Claim as written', 'Method', 'Measured', 'Verdict', 'Reason / model estimate', 'Evidence'],
        rows: model.claims.map((c) => [c.id, c.claim, c.method, c.measured, { text: c.verdict, tone: TONE[c.verdict] }, [c.reason, c.modelEstimate ? `model: ${c.modelEstimate}` : ''].filter(Boolean).join('; '), evidenceText(claimEvidence(c, model.runs, model.explains))]),
      },
    ];
    const bars = claimBarValues(model.claims);
    blocks.push(bars.length
      ? { kind: 'chart', id: 'claim-bars', title: 'Baseline vs optimized per claim', spec: claimBars(bars) }
      : { kind: 'empty', text: 'No claim carries baseline/optimized values to chart.' });
    return blocks;
  },
};
