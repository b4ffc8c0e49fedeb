/**
 * What each claim row stands on (issue 13 item 6), read from what the report already holds: the
 * switches its method toggled, the scenario runs it read, the EXPLAIN plans of the queries it
 * timed, the chaos experiments it names, and the raw values in claims.json.
 */
import type { ClaimResult, ExperimentResult } from '../../core/index.ts';
import type { CellLink, QueryExplain, RunEntry } from '../types.ts';
import { anchorId } from '../render/anchors.ts';

export interface ClaimEvidence {
  switches: string[];
  runs: string[];
  explains: string[];
  /** Chaos experiments that bear on the claim, with whether each passed. */
  experiments: { name: string; ok: boolean }[];
  values: number;
}

/** The claims an experiment bears on: its claimIds, or (results written before those) its "claims: ..." note. */
export function experimentClaims(e: ExperimentResult): string[] {
  if (e.claimIds) return e.claimIds;
  const note = e.notes.find((n) => n.startsWith('claims: '));
  return note ? note.slice('claims: '.length).split(/,\s*/) : [];
}

/** "switch cache off/on", "switches batched-hydration and idx-follows-follower off/on", "switch X, Y and Z off". */
export function switchesIn(method: string): string[] {
  const out = new Set<string>();
  for (const m of method.matchAll(/switch(?:es)? ((?:[a-z0-9]+(?:-[a-z0-9]+)*)(?:(?:, | and )(?:[a-z0-9]+(?:-[a-z0-9]+)*))*)/g)) {
    for (const name of m[1]!.split(/, | and /)) if (name.includes('-') || /^(cache|pooling|compression|breakers)$/.test(name)) out.add(name);
  }
  return [...out];
}

export function claimEvidence(c: ClaimResult, runs: readonly RunEntry[], explains: readonly QueryExplain[], chaos: readonly ExperimentResult[] = []): ClaimEvidence {
  const method = c.method ?? '';
  const scenarios = /scenario runs?|feed scenario|search-spike scenario|feed runs?/.test(method);
  const runLabels = scenarios ? runs.map((r) => r.label).filter((l) => method.split(/[^a-z-]/).some((w) => w.length > 3 && l.includes(w))) : [];
  return {
    switches: switchesIn(method),
    runs: [...new Set(runLabels)],
    explains: explains.filter((e) => method.includes(e.query)).map((e) => e.query),
    experiments: chaos.filter((x) => experimentClaims(x).includes(c.id)).map((x) => ({ name: x.experiment, ok: x.ok })),
    values: Object.keys(c.values ?? {}).length,
  };
}

/** One line for the claims table. */
export function evidenceText(e: ClaimEvidence): string {
  return [
    e.switches.length ? `switch: ${e.switches.join(', ')}` : '',
    e.runs.length ? `runs: ${e.runs.join(', ')} (Load scenarios)` : '',
    e.explains.length ? `EXPLAIN before/after: ${e.explains.join(', ')} (Findings)` : '',
    e.experiments.length ? `chaos: ${e.experiments.map((x) => `${x.name} ${x.ok ? 'PASS' : 'FAIL'}`).join(', ')} (Chaos experiments)` : '',
    e.values ? `${e.values} raw values in claims.json` : '',
  ].filter(Boolean).join('; ') || '-';
}

/** What the report shows that a claim row can link to; a link is only made to an element that exists. */
export interface EvidenceTargets {
  /** Run labels with a heading in the load scenarios section. */
  runs: ReadonlySet<string>;
  /** Queries whose EXPLAIN plans the findings section shows. */
  explains: ReadonlySet<string>;
  /** Experiments with a heading in the chaos section. */
  experiments: ReadonlySet<string>;
  /** Whether the run card shows the switch list (there are runs). */
  switchList: boolean;
  /** Claim ids plotted on the claimed-vs-measured chart, and on the baseline-vs-optimized bars. */
  headlineChart: ReadonlySet<string>;
  barsChart: ReadonlySet<string>;
}

export const CLAIMS_CHART_ANCHOR = anchorId('chart', 'claim-verdicts');
export const CLAIM_BARS_ANCHOR = anchorId('chart', 'claim-bars');

/** Links (issue 13 item 6) from a claim row to the run, EXPLAIN plans, chart and switch list it stands on. */
export function evidenceLinks(claimId: string, e: ClaimEvidence, t: EvidenceTargets): CellLink[] {
  return [
    ...e.runs.filter((r) => t.runs.has(r)).map((r) => ({ text: `run ${r}`, anchor: anchorId('run', r) })),
    ...e.explains.filter((q) => t.explains.has(q)).map((q) => ({ text: `EXPLAIN before/after: ${q}`, anchor: anchorId('explain', q) })),
    ...e.experiments.filter((x) => t.experiments.has(x.name)).map((x) => ({ text: `chaos ${x.name} (${x.ok ? 'PASS' : 'FAIL'})`, anchor: anchorId('experiment', x.name) })),
    ...(t.headlineChart.has(claimId) ? [{ text: 'claimed vs measured chart', anchor: CLAIMS_CHART_ANCHOR }] : []),
    ...(t.barsChart.has(claimId) ? [{ text: 'baseline vs optimized chart', anchor: CLAIM_BARS_ANCHOR }] : []),
    ...(t.switchList ? e.switches.map((sw) => ({ text: `switch ${sw}`, anchor: 'run-card' })) : []),
  ];
}

/** What the links do not say: switches named without a switch list, and the raw values. */
export function evidenceRest(e: ClaimEvidence, t: EvidenceTargets): string {
  return [
    !t.switchList && e.switches.length ? `switch: ${e.switches.join(', ')}` : '',
    e.values ? `${e.values} raw values in claims.json` : '',
  ].filter(Boolean).join('; ');
}
