/** The claims table (claim id, claim, method, measured, verdict) and baseline vs optimized bars. */
import type { ClaimVerdict } from '../../core/index.ts';
import type { Block, SectionDescriptor, Tone } from '../types.ts';
import { claimBarValues, claimBars } from '../charts/specs.ts';

const TONE: Record<ClaimVerdict, Tone> = { CONFIRMED: 'good', REFUTED: 'bad', PARTLY: 'warn', 'NOT MEASURABLE HERE': 'muted', 'NOT RUN': 'muted' };

export const claims: SectionDescriptor = {
  id: 'claims',
  title: 'Claims: estimated vs measured',
  render(model) {
    if (model.claims.length === 0) return [{ kind: 'empty', text: 'No claims in the inputs (claims.json is written by brink assess).' }];
    const blocks: Block[] = [{
      kind: 'table',
      columns: ['Claim', 'Claim as written', 'Method', 'Measured', 'Verdict', 'Reason / model estimate'],
      rows: model.claims.map((c) => [c.id, c.claim, c.method, c.measured, { text: c.verdict, tone: TONE[c.verdict] }, [c.reason, c.modelEstimate ? `model: ${c.modelEstimate}` : ''].filter(Boolean).join('; ')]),
    }];
    const bars = claimBarValues(model.claims);
    blocks.push(bars.length
      ? { kind: 'chart', id: 'claim-bars', title: 'Baseline vs optimized per claim', spec: claimBars(bars) }
      : { kind: 'empty', text: 'No claim carries baseline/optimized values to chart.' });
    return blocks;
  },
};
